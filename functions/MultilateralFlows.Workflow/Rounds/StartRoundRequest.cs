namespace MultilateralFlows.Rounds;

/// <summary>
/// The body of <c>POST /api/rounds</c> as received. Everything is optional here so that the validator, not the JSON
/// parser, can say precisely what is missing.
/// </summary>
public sealed class StartRoundRequest
{
    public string? Procedure { get; set; }
    public string? Title { get; set; }
    public string? Organisation { get; set; }
    public string? Kind { get; set; }
    public List<AgendaItemRequest?>? Items { get; set; }
    public List<string?>? Participants { get; set; }
    public List<string?>? FlemishPolicyAreas { get; set; }
    public string? Deadline { get; set; }
    public bool? SilenceProcedure { get; set; }
    public string? CoordinatorEmail { get; set; }

    /// <summary>Optional: the addresses that are sent the final position for the permanent representation.</summary>
    public List<RepresentationAddressRequest?>? PermanentRepresentation { get; set; }

    /// <summary>COORMULTI only: who coordinates the linked SOIA round instead of the directory's Flemish coordination address.</summary>
    public string? SoiaCoordinatorEmail { get; set; }

    /// <summary>Optional: the language the coordinator's notices are written in (nl, fr, de, en); without it, the setting.</summary>
    public string? CoordinatorLanguage { get; set; }
}

public sealed class RepresentationAddressRequest
{
    public string? Email { get; set; }
    public string? Language { get; set; }
    public string? Name { get; set; }
}

public sealed class AgendaItemRequest
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Text { get; set; }

    /// <summary><c>Federal</c>, <c>Federated</c> or <c>Mixed</c>; absent means <c>Mixed</c>.</summary>
    public string? Competence { get; set; }

    /// <summary>The participant code of the round that leads on the item, if known.</summary>
    public string? LeadEntity { get; set; }
}
