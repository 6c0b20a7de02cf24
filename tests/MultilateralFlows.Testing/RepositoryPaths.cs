using System.Reflection;

namespace MultilateralFlows.Testing;

/// <summary>Where things are in the repository the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration these tests were built in, so they run the hosts built alongside.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string LocalHostDll { get; } =
        Path.Combine(Root, "functions", "MultilateralFlows.LocalHost", "bin", Configuration, "net10.0", "MultilateralFlows.LocalHost.dll");

    /// <summary>The Functions app's build output: what the Azure Functions host runs (functions.metadata, the worker, host.json).</summary>
    public static string FunctionsAppDir { get; } =
        Path.Combine(Root, "functions", "MultilateralFlows.Functions", "bin", Configuration, "net10.0");

    public static string DemoDll { get; } =
        Path.Combine(Root, "functions", "MultilateralFlows.Demo", "bin", Configuration, "net10.0", "MultilateralFlows.Demo.dll");

    public static string AzuriteBin { get; } = Path.Combine(Root, "node_modules", "azurite", "dist", "src", "azurite.js");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MultilateralFlows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Tests must run inside the MultilateralFlows repository.");
    }

    /// <summary>A fresh folder under the system temp folder, for one test's mail folder or storage.</summary>
    public static string NewTempFolder(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "multilateralflows-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
