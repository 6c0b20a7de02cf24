using System.Text;
using MultilateralFlows.Http;

namespace MultilateralFlows.Tests.Http;

/// <summary>
/// The client principal App Service Authentication passes (X-MS-CLIENT-PRINCIPAL: base64 of
/// {auth_typ, claims[{typ, val}], name_typ, role_typ}): who it names and which app roles they hold; anything else names nobody.
/// </summary>
public sealed class ClientPrincipalTests
{
    [Fact]
    public void Parse_AUserWithTheRole_TheirAddressNameAndRoles()
    {
        var (person, error) = ClientPrincipal.Parse(SignInWorld.CoordinatorPrincipal());

        Assert.Null(error);
        Assert.Equal(SignInWorld.Person, person!.Email);
        Assert.Equal("An Devos", person.Name);
        Assert.Equal(["Coordinator", "Reader"], person.Roles);
        Assert.True(person.IsCoordinator);
        Assert.Equal($"coordinator {SignInWorld.Person}", person.AsActor().ActorFor("desk@diplobel.fed.be"));
    }

    [Fact]
    public void Parse_RolesUnderTheRoleTypeTheHeaderNames_AreRoles()
    {
        const string roleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
        var header = SignInWorld.Principal([("email", "jan@diplobel.fed.be"), (roleType, "Coordinator")], roleType);

        var (person, _) = ClientPrincipal.Parse(header);

        Assert.True(person!.IsCoordinator);
        Assert.Equal("jan@diplobel.fed.be", person.Name);
    }

    [Fact]
    public void Parse_WithoutTheRole_SomeoneWhoIsNotACoordinator()
    {
        var (person, error) = ClientPrincipal.Parse(SignInWorld.Principal([("preferred_username", SignInWorld.Person), ("roles", "Reader")]));

        Assert.Null(error);
        Assert.False(person!.IsCoordinator);
    }

    [Fact]
    public void Parse_RoleInAnotherClaimOrCase_IsNotTheRole()
    {
        var (person, _) = ClientPrincipal.Parse(SignInWorld.Principal(
            [("preferred_username", SignInWorld.Person), ("groups", "Coordinator"), ("roles", "coordinator")]));

        Assert.False(person!.IsCoordinator);
    }

    [Fact]
    public void Parse_AnApplicationsOwnToken_NamedByItsClientId()
    {
        var (person, _) = ClientPrincipal.Parse(SignInWorld.Principal([("azp", "6f1c0f1e-0000-4000-8000-000000000001"), ("roles", "Coordinator")]));

        Assert.Equal("application 6f1c0f1e-0000-4000-8000-000000000001", person!.Email);
        Assert.True(person.IsCoordinator);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("e30")] // {} : no claims
    [InlineData("bnVsbA==")] // null
    [InlineData("eyJjbGFpbXMiOiJ4In0=")] // {"claims":"x"}
    [InlineData("eyJjbGFpbXMiOlt7InR5cCI6InJvbGVzIiwidmFsIjoiQ29vcmRpbmF0b3IifV19")] // a role, but nobody named
    [InlineData("//79/A==")] // bytes that are no UTF-8
    public void Parse_MalformedOrNamingNobody_NoPersonAndWhy(string? header)
    {
        var (person, error) = ClientPrincipal.Parse(header);

        Assert.Null(person);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Parse_NotJson_NoPerson()
    {
        var (person, error) = ClientPrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\": [")));

        Assert.Null(person);
        Assert.Contains("JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLarge_RefusedBeforeDecoding() =>
        Assert.Null(ClientPrincipal.Parse(new string('A', ClientPrincipal.MaxHeaderLength + 4)).Person);

    [Fact]
    public void Parse_NoAddressClaimButThePrincipalNameHeaderIsOne_NamedByIt()
    {
        var (person, _) = ClientPrincipal.Parse(SignInWorld.Principal([("oid", "x"), ("roles", "Coordinator")]), "jan@diplobel.fed.be");

        Assert.Equal("jan@diplobel.fed.be", person!.Email);
    }
}
