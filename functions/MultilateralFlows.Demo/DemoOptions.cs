namespace MultilateralFlows.Demo;

/// <summary>Where the demo finds the host: its base URL, the function key for the coordinator's routes, and the mail folder.</summary>
public sealed record DemoOptions(Uri BaseUrl, string? FunctionKey, string MailFolder)
{
    public static DemoOptions? Parse(IReadOnlyList<string> args)
    {
        string? url = null, key = null, folder = null;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = args[i + 1]; break;
                case "--key": key = args[i + 1]; break;
                case "--mail-folder": folder = args[i + 1]; break;
                default: return null;
            }
        }

        return args.Count % 2 == 0 && Uri.TryCreate(url, UriKind.Absolute, out var baseUrl)
            ? new DemoOptions(baseUrl, string.IsNullOrEmpty(key) ? null : key, Path.GetFullPath(folder ?? Path.Combine(".local", "mail")))
            : null;
    }
}
