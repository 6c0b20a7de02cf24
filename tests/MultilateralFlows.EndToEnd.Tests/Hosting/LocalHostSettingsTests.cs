using System.Text.Json.Nodes;
using MultilateralFlows.Testing;

namespace MultilateralFlows.EndToEnd.Tests.Hosting;

/// <summary>The local host as an operator runs it: settings from local.settings.json and the environment, and a bounded stop.</summary>
public sealed class LocalHostSettingsTests
{
    [Fact]
    public async Task Settings_FileAndEnvironment_FileFillsInAndTheEnvironmentWins()
    {
        var settingsFile = Path.Combine(RepositoryPaths.NewTempFolder("settings"), "local.settings.json");
        await File.WriteAllTextAsync(settingsFile, new JsonObject
        {
            ["IsEncrypted"] = false,
            ["Values"] = new JsonObject
            {
                ["Links__PublicBaseUrl"] = "https://from-the-file.example",
                ["SendGrid__FromEmail"] = "from-the-file@vlaanderen.example",
                ["SendGrid__FromName"] = "Multilateral desk",
            },
        }.ToJsonString());

        await using var host = await LocalHostProcess.StartAsync(await SharedAzurite.GetAsync(), new Dictionary<string, string?>
        {
            ["LOCAL_SETTINGS_PATH"] = settingsFile,
            ["SendGrid__FromEmail"] = null,
        });
        var roundId = await host.StartAsync(RoundRequests.Soia("education"));

        var request = (await host.MailFolder.WaitForAsync(roundId, 1)).Single();
        Assert.Equal("from-the-file@vlaanderen.example", request.Payload["from"]!["email"]!.GetValue<string>());
        Assert.Equal("Multilateral desk", request.Payload["from"]!["name"]!.GetValue<string>());
        Assert.StartsWith($"{host.BaseUrl}/api/reply/", request.ReplyLink);
    }

    [Fact]
    public async Task Stop_SigtermWhileARoundRuns_ExitsWithinTenSeconds()
    {
        await using var host = await LocalHostProcess.StartAsync(await SharedAzurite.GetAsync());
        var roundId = await host.StartAsync(RoundRequests.Soia());
        await host.MailFolder.WaitForAsync(roundId, 3);

        Assert.True(await host.TerminateAsync(TimeSpan.FromSeconds(10)), $"The local host did not stop within 10 s:\n{host.Output}");
    }
}
