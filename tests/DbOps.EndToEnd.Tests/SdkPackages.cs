using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// Packs DbOps.Sdk and DbOps.Runtime from this repository once per test run into a private feed, with a private
/// NUGET_PACKAGES folder, so every throwaway project restores exactly the bits under test.
/// </summary>
public sealed class SdkPackages : IDisposable
{
    public const string Version = "0.1.0";
    private readonly TempDirectory _root = new("dbops-e2e");

    public string FeedDir { get; }
    public string PackagesDir { get; }
    public static string RepoRoot { get; } = FindRepoRoot();

    public SdkPackages()
    {
        FeedDir = _root.Combine("feed");
        PackagesDir = _root.Combine("nuget-packages");
        Directory.CreateDirectory(FeedDir);
        Directory.CreateDirectory(PackagesDir);
        // DbOps.Sdk and the runtime packages it references (DbOps.Runtime and one per provider), in one pack.
        const string Packages = "eng/DbOps.Packages.slnf";
        var r = ProcessRunner.Run("dotnet", ["pack", Path.Combine(RepoRoot, Packages), "-c", "Release", "-o", FeedDir, "-nodeReuse:false", $"-p:DbOpsVersion={Version}"],
            RepoRoot, timeout: TimeSpan.FromMinutes(8));
        if (r.ExitCode != 0) throw new InvalidOperationException($"dotnet pack {Packages} failed:\n{r}");
        PackOutput = r.StdOut + r.StdErr;
    }

    /// <summary>What <c>dotnet pack</c> printed (PackageTests: no authoring warnings).</summary>
    public string PackOutput { get; }

    public string SdkPackagePath => Path.Combine(FeedDir, $"DbOps.Sdk.{Version}.nupkg");

    /// <summary>Environment for child dotnet processes: private package folder, no node reuse, no first-run noise.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["NUGET_PACKAGES"] = PackagesDir,
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    private static string FindRepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "DbOps.Build.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("Cannot find the repository root (DbOps.Build.sln) above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _root.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SdkCollection : ICollectionFixture<SdkPackages>
{
    public const string Name = "DbOps.Sdk packages";
}
