using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// The packed DbOps.Templates, installed into a private template hive: dotnet new, build (which asks for the initial
/// migration), DbOpsAddMigration, build, run; the web API is queried over HTTP on a free port.
/// </summary>
[Collection(SdkCollection.Name)]
public class TemplateTests(SdkPackages packages) : IDisposable
{
    private readonly TempDirectory _root = new("dbops-tpl");

    private Dictionary<string, string?> Environment()
    {
        var env = packages.Environment;
        env["DOTNET_CLI_HOME"] = _root.Combine("cli-home");
        return env;
    }

    private ProcessResult Dotnet(string dir, params string[] args) =>
        ProcessRunner.Run("dotnet", args, dir, Environment(), timeout: TimeSpan.FromMinutes(5));

    /// <summary>Installs the packed templates into a private hive and creates <paramref name="template"/> as project MyApp.</summary>
    private string Create(string template, params string[] options)
    {
        var hive = _root.Combine("hive");
        var install = Dotnet(_root.Path, "new", "install", Path.Combine(packages.FeedDir, $"DbOps.Templates.{SdkPackages.Version}.nupkg"), "--debug:custom-hive", hive);
        Assert.True(install.ExitCode == 0, install.ToString());
        var create = Dotnet(_root.Path, ["new", template, "-o", "MyApp", "--debug:custom-hive", hive, .. options]);
        Assert.True(create.ExitCode == 0, create.ToString());
        ThrowawayProject.WriteNuGetConfig(_root.Path, packages);
        return _root.Combine("MyApp");
    }

    /// <summary>The README's steps: the first build asks for the initial migration; accept it; build again.</summary>
    private void AcceptInitialMigrationAndBuild(string dir)
    {
        var first = Dotnet(dir, "build", "-nodeReuse:false");
        Assert.True(first.ExitCode != 0, first.ToString());
        Assert.Contains("DBOPS2001", first.StdOut);
        var add = Dotnet(dir, "build", "-t:DbOpsAddMigration", "-p:DbOpsMigrationName=Initial", "-nodeReuse:false");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "Migrations", "0001_initial.sql")));
        var build = Dotnet(dir, "build", "-nodeReuse:false", "-warnaserror");
        Assert.True(build.ExitCode == 0, build.ToString());
    }

    public static TheoryData<string> Providers => new() { "sqlite", "postgresql" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Webapi_template_builds_migrates_on_startup_and_serves_health_and_data(string provider)
    {
        if (provider == "postgresql" && PostgresServer.FindBinDir() is null && !PostgresServer.Required) return;
        var dir = Create("dbops-webapi", provider == "sqlite" ? [] : ["--provider", provider]);
        Assert.Contains($"provider: {provider}", File.ReadAllText(Path.Combine(dir, "dbops.yaml")));
        Assert.Contains("\"Default\": ", File.ReadAllText(Path.Combine(dir, "appsettings.json")));
        AcceptInitialMigrationAndBuild(dir);

        var port = PostgresServer.FreePort();
        var env = Environment();
        // The configured connection string (appsettings.json) on SQLite; the test server's database on PostgreSQL.
        if (provider == "postgresql") env["ConnectionStrings__Default"] = PostgresServer.Instance.CreateDatabase("tpl");
        using var app = Start(dir, env, "run", "--no-build", "--urls", $"http://127.0.0.1:{port}");
        try
        {
            await QueryAsync(app, port, provider, dir);
        }
        finally
        {
            // `dotnet run` and the app it started: the process tree this test started, nothing else.
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static async Task QueryAsync(Process app, int port, string provider, string dir)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var health = await WaitForHealthAsync(http, app);
        Assert.Equal("Healthy", health);

        var created = await http.PostAsJsonAsync("/todos", new { title = "Write the README" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/todos/1", created.Headers.Location?.OriginalString);
        var todos = await http.GetStringAsync("/todos");
        Assert.Contains("\"title\":\"Write the README\"", todos);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/todos", new { title = "" })).StatusCode);
        Assert.Equal("{\"open\":1}", await http.GetStringAsync("/todos/open"));
        if (provider == "sqlite") Assert.True(File.Exists(Path.Combine(dir, "app.db")), "the app's SQLite file");
    }

    [Fact]
    public void Console_template_builds_and_runs_its_migration()
    {
        var dir = Create("dbops-console");
        AcceptInitialMigrationAndBuild(dir);
        var run = Dotnet(dir, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Applied 1 migrations (0001_initial.sql)", run.StdOut);
        Assert.Contains("Added todo 1: Try DbOps. Open todos: 1.", run.StdOut);
    }

    private static Process Start(string dir, Dictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env)
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> WaitForHealthAsync(HttpClient http, Process app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            Assert.False(app.HasExited, $"the app exited with {(app.HasExited ? app.ExitCode : 0)} before serving /health");
            try
            {
                var r = await http.GetAsync("/health");
                return await r.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    public void Dispose() => _root.Dispose();
}
