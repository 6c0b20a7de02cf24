namespace MultilateralFlows.Infra.Tests;

/// <summary>
/// Every Bicep file under infra/ builds and lints with the pinned Bicep CLI, and any warning fails the test: the
/// linter rules in infra/bicepconfig.json (recent API versions, no secrets in outputs, ...) are part of the build.
/// </summary>
public sealed class BicepFilesTests
{
    [Fact]
    public async Task Build_EveryBicepFile_CompilesWithoutWarnings()
    {
        var files = BicepCli.BicepFiles();
        Assert.NotEmpty(files);
        var outdir = Testing.RepositoryPaths.NewTempFolder("bicep-build");
        try
        {
            var run = await BicepCli.RunAsync("build", "--pattern", "infra/**/*.bicep", "--outdir", outdir, "--no-restore");

            AssertClean(run, "bicep build");
            // --pattern matching nothing would also be clean: every file must have produced its template.
            var missing = files.Where(f => !File.Exists(Path.Combine(outdir, Path.ChangeExtension(Path.GetRelativePath("infra", f), ".json")))).ToList();
            Assert.True(missing.Count == 0, $"bicep build produced no template for: {string.Join(", ", missing)}");
        }
        finally
        {
            Directory.Delete(outdir, recursive: true);
        }
    }

    [Fact]
    public async Task Lint_EveryBicepFile_HasNoWarningsOrErrors()
    {
        Assert.NotEmpty(BicepCli.BicepFiles());

        var run = await BicepCli.RunAsync("lint", "--pattern", "infra/**/*.bicep", "--no-restore");

        AssertClean(run, "bicep lint");
    }

    /// <summary>The two tests above pass when nothing is reported; this one proves a warning would be seen.</summary>
    [Fact]
    public async Task Lint_FileWithUnusedParameter_ReportsWarning()
    {
        var folder = Testing.RepositoryPaths.NewTempFolder("bicep-lint");
        try
        {
            var file = Path.Combine(folder, "unused.bicep");
            await File.WriteAllTextAsync(file, "param unused string\n");

            var run = await BicepCli.RunAsync("lint", file, "--no-restore");

            var diagnostic = Assert.Single(run.Diagnostics);
            Assert.Equal(("Warning", "no-unused-params"), (diagnostic.Level, diagnostic.Code));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static void AssertClean(BicepRun run, string command)
    {
        var problems = run.Diagnostics.Where(d => d.Level is "Warning" or "Error").ToList();
        Assert.True(
            run.ExitCode == 0 && problems.Count == 0,
            $"{command} exited {run.ExitCode} with {problems.Count} warning(s)/error(s):\n{string.Join('\n', problems)}\n{run.StandardOutput}\n{run.StandardError}");
    }
}
