using DbOps.Testing;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// dotnet build -t:DbOpsBundle: a throwaway project's migrator executable, run against a real SQLite file and a real
/// PostgreSQL server: migrate, pending, verify, script, the connection string from the argument or the environment,
/// and nonzero exit codes on failure.
/// </summary>
[Collection(SdkCollection.Name)]
public class BundleTests(SdkPackages packages)
{
    private static string Bundle(ThrowawayProject project)
    {
        var add = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", "-p:DbOpsMigrationName=Initial"]);
        Assert.True(add.ExitCode == 0, add.ToString());
        var outDir = project.PathOf("deploy");
        var bundle = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsBundle", $"-p:DbOpsBundlePath={outDir}"]);
        Assert.True(bundle.ExitCode == 0, bundle.ToString());
        Assert.Contains("DbOps: migrator bundle", bundle.StdOut);
        var exe = Path.Combine(outDir, $"{project.Name}-migrator");
        Assert.True(File.Exists(exe), $"{exe} missing; {string.Join(", ", Directory.GetFiles(outDir).Select(Path.GetFileName))}");
        // One self-contained file (plus nothing else that must travel with it).
        Assert.DoesNotContain(Directory.GetFiles(outDir), f => f.EndsWith(".dll", StringComparison.Ordinal));
        return exe;
    }

    private static ProcessResult Run(string exe, string[] args, string? env = null) =>
        ProcessRunner.Run(exe, args, Path.GetDirectoryName(exe), new Dictionary<string, string?>
        {
            ["DBOPS_CONNECTION_STRING"] = env,
        }, timeout: TimeSpan.FromMinutes(2));

    [Fact]
    public void Sqlite_bundle_migrates_lists_verifies_and_scripts_with_exit_codes()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null);
        project.Write("dbops.yaml", BuildTests.SpecExample);
        var exe = Bundle(project);
        var db = project.PathOf("deploy.db");
        var cs = $"Data Source={db}";

        var noConnection = Run(exe, ["pending"]);
        Assert.Equal(2, noConnection.ExitCode);
        Assert.Contains("DBOPS_CONNECTION_STRING", noConnection.StdErr);

        var pending = Run(exe, ["pending", "--connection", cs]);
        Assert.True(pending.ExitCode == 0, pending.ToString());
        Assert.Equal("0001_initial.sql", pending.StdOut.Trim());

        var script = Run(exe, ["script"]);
        Assert.True(script.ExitCode == 0, script.ToString());
        Assert.Contains("-- 0001_initial.sql", script.StdOut);
        Assert.Contains("CREATE TABLE", script.StdOut);
        Assert.Equal(File.ReadAllText(project.PathOf("Migrations/0001_initial.sql")).TrimEnd(),
            script.StdOut.Replace("-- 0001_initial.sql\n", "").Trim());

        // The connection string from the environment.
        var migrate = Run(exe, ["migrate"], env: cs);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains("applied 0001_initial.sql", migrate.StdOut);
        var tables = ProcessRunner.Run("sqlite3", [db, "select name from sqlite_master where type='table' order by name"]);
        Assert.Contains("customers", tables.StdOut);
        Assert.Contains("dbops_migrations", tables.StdOut);

        var again = Run(exe, ["migrate", "-c", cs]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 applied, 1 already applied.", again.StdOut);
        Assert.Equal("", Run(exe, ["pending", "-c", cs]).StdOut.Trim());
        Assert.Equal("", Run(exe, ["script", "-c", cs]).StdOut.Trim());

        var verify = Run(exe, ["verify", "-c", cs]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        // A hand-made change: verify fails and names it.
        var alter = ProcessRunner.Run("sqlite3", [db, "ALTER TABLE customers ADD COLUMN fax text"]);
        Assert.True(alter.ExitCode == 0, alter.ToString());
        var drift = Run(exe, ["verify", "-c", cs]);
        Assert.Equal(1, drift.ExitCode);
        Assert.Contains("fax", drift.StdOut + drift.StdErr);

        // An edited journal entry is a failure of migrate, reported without a stack trace.
        var edit = ProcessRunner.Run("sqlite3", [db, "UPDATE dbops_migrations SET checksum = 'x'"]);
        Assert.True(edit.ExitCode == 0, edit.ToString());
        var refused = Run(exe, ["migrate", "-c", cs]);
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: ", refused.StdErr);
        Assert.DoesNotContain("   at ", refused.StdErr);
    }

    [PostgresFact]
    public void Postgresql_bundle_migrates_and_verifies_a_real_server_and_fails_without_leaking_the_password()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null);
        project.Write("dbops.yaml", BuildTests.SpecExample.Replace("provider: sqlite ", "provider: postgresql "));
        var exe = Bundle(project);
        var server = PostgresServer.Instance;
        var cs = server.CreateDatabase("bundle");

        Assert.Equal("0001_initial.sql", Run(exe, ["pending", "-c", cs]).StdOut.Trim());
        var migrate = Run(exe, ["migrate", "-c", cs]);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains("applied 0001_initial.sql", migrate.StdOut);
        var verify = Run(exe, ["verify"], env: cs);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        using (var conn = new Npgsql.NpgsqlConnection(cs))
        {
            conn.Open();
            using var cmd = new Npgsql.NpgsqlCommand("ALTER TABLE orders DROP COLUMN placed_at", conn);
            cmd.ExecuteNonQuery();
        }
        var drift = Run(exe, ["verify", "-c", cs]);
        Assert.Equal(1, drift.ExitCode);
        Assert.Contains("placed_at", drift.StdOut + drift.StdErr);

        // Nothing listens there: a nonzero exit and a message that does not show the password.
        var unreachable = Run(exe, ["migrate", "-c", "Host=127.0.0.1;Port=1;Username=u;Password=s3cret-pw;Database=d;Timeout=3"]);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.DoesNotContain("s3cret-pw", unreachable.StdOut + unreachable.StdErr);
        Assert.DoesNotContain("   at ", unreachable.StdErr);
    }

    [Fact]
    public void Without_a_bundle_path_it_is_DBOPS9010()
    {
        using var project = new ThrowawayProject(packages);
        project.Write("dbops.yaml", BuildTests.SpecExample);
        var r = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsBundle"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("error DBOPS9010", r.StdOut);
    }
}
