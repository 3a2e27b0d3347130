using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>A real project in a temp folder that uses the packed SDK exactly as a user would.</summary>
public sealed class ThrowawayProject : IDisposable
{
    private readonly SdkPackages _packages;
    private readonly TempDirectory _dir = new("dbops-proj");

    public string Dir => _dir.Path;
    public string Name { get; }

    /// <param name="driftCheck">DbOpsDriftCheck for the project; tests about generation turn it off so that a project
    /// without migrations builds (with the default, its first build asks for the initial migration).</param>
    public ThrowawayProject(SdkPackages packages, string name = "App", string? projectXml = null, string? programCs = null, string? driftCheck = "off")
    {
        _packages = packages;
        Name = name;
        WriteNuGetConfig(_dir.Path, packages);
        _dir.Write($"{name}.csproj", projectXml ?? ProjectXml(driftCheck: driftCheck));
        _dir.Write("Program.cs", programCs ?? "System.Console.WriteLine(\"ok\");\n");
    }

    /// <summary>A NuGet.config in <paramref name="dir"/> that adds only the feed under test; the machine's configured source stays for third-party packages.</summary>
    public static void WriteNuGetConfig(string dir, SdkPackages packages) => File.WriteAllText(Path.Combine(dir, "NuGet.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="dbops-under-test" value="{packages.FeedDir}" />
          </packageSources>
        </configuration>
        """);

    /// <summary>The project file of an exe using the packed SDK: <paramref name="sdk"/> as the project SDK, <paramref name="extra"/> appended.</summary>
    public static string ProjectXml(string sdk = "Microsoft.NET.Sdk", string? driftCheck = "off", string extra = "") => $"""
        <Project Sdk="{sdk}">
          <Sdk Name="DbOps.Sdk" Version="{SdkPackages.Version}" />
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            {(driftCheck is null ? "" : $"<DbOpsDriftCheck>{driftCheck}</DbOpsDriftCheck>")}
          </PropertyGroup>
          {extra}
        </Project>
        """;

    public string Write(string relativePath, string content) => _dir.Write(relativePath, content);
    public string PathOf(string relativePath) => _dir.Combine(relativePath);

    public string GeneratedDir(string configuration = "Debug") => _dir.Combine("obj", configuration, "net10.0", "dbops");

    public ProcessResult Build(params string[] extraArgs) =>
        Dotnet(["build", "-nodeReuse:false", "-clp:NoSummary", .. extraArgs]);

    public ProcessResult Dotnet(string[] args) =>
        ProcessRunner.Run("dotnet", args, Dir, _packages.Environment, timeout: TimeSpan.FromMinutes(5));

    public void Dispose() => _dir.Dispose();
}
