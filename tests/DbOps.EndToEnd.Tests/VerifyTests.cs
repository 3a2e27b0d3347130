using DbOps.Testing;
using Npgsql;

namespace DbOps.EndToEnd.Tests;

/// <summary>
/// `dotnet build -t:DbOpsVerify` of a real project against a real PostgreSQL database: in sync after the committed
/// migrations, every hand-made change an error (and gone again once undone), an edited and an unknown applied script,
/// pending scripts, failing connections with their code, and no password in any output or file.
/// </summary>
[Collection(SdkCollection.Name)]
public class VerifyTests(SdkPackages packages)
{
    private const string Password = "S3cr3t-pw-4711";

    private const string Schema = """
        dbops: 1
        name: CrmDb
        namespace: Crm.Data
        provider: postgresql
        entities:
          Customer:
            table: customers
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Name: string(100)
              Email: { type: string(320), unique: true }
          Note:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              CustomerId: { type: int64, references: Customer, onDelete: cascade }
              Text: string
            indexes:
              - columns: [CustomerId]
        """;

    private ProcessResult Verify(ThrowawayProject p, string? connectionString, params string[] extra)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal) { ["DBOPS_CONNECTION_STRING"] = connectionString };
        return ProcessRunner.Run("dotnet", ["build", "-nodeReuse:false", "-clp:NoSummary", "-t:DbOpsVerify", .. extra], p.Dir,
            new Dictionary<string, string?>(packages.Environment.Concat(env)), timeout: TimeSpan.FromMinutes(5));
    }

    private static void Execute(string cs, string sql)
    {
        using var conn = new NpgsqlConnection(cs);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    private static void AssertNoPassword(ThrowawayProject p, ProcessResult r)
    {
        Assert.DoesNotContain(Password, r.StdOut + r.StdErr);
        foreach (var file in Directory.EnumerateFiles(p.Dir, "*", SearchOption.AllDirectories))
            if (!file.EndsWith(".dll", StringComparison.Ordinal) && new FileInfo(file).Length < 5_000_000)
                Assert.False(File.ReadAllText(file).Contains(Password, StringComparison.Ordinal), $"the password is in {file}");
    }

    [PostgresFact]
    public void A_live_database_is_checked_against_the_migrations_with_every_difference_coded_and_no_password_anywhere()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null);
        project.Write("dbops.yaml", Schema);
        var initial = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", "-p:DbOpsMigrationName=Initial"]);
        Assert.True(initial.ExitCode == 0, initial.ToString());

        // The database, migrated the way a deployment does it: the idempotent deploy script, which keeps the journal.
        var server = PostgresServer.Instance;
        var cs = server.CreatePasswordUser("crm_app", Password);
        var script = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsScript", "-p:DbOpsScriptPath=deploy.sql"]);
        Assert.True(script.ExitCode == 0, script.ToString());
        Execute(cs, File.ReadAllText(project.PathOf("deploy.sql")));

        // In sync: success and one summary line.
        var ok = Verify(project, cs);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Matches(@"DbOps: the database matches migration 0001 \(2 tables, 1 applied migration; [\d.]+ s\)", ok.StdOut);
        var report = Path.Combine(project.GeneratedDir(), "live-drift.md");
        Assert.Contains("in sync", File.ReadAllText(report));
        AssertNoPassword(project, ok);

        // A hotfix made by hand: an error at the entity, both sides named, the way back in the report; undone, it passes.
        Execute(cs, "ALTER TABLE customers ADD COLUMN hotfix text; DROP INDEX ix_note_customer_id; ALTER TABLE customers ALTER COLUMN name TYPE varchar(200)");
        var drift = Verify(project, cs, "-v:detailed");
        Assert.NotEqual(0, drift.ExitCode);
        Assert.Matches(@"dbops\.yaml\(\d+,\d+\): error DBOPS4047: column customers\.hotfix \(text\) exists in the database but not in migration 0001\. To undo the hand-made change: ALTER TABLE ""customers"" DROP COLUMN ""hotfix"";", drift.StdOut);
        Assert.Contains("error DBOPS4048: column customers.name is varchar(200) in the database but varchar(100) in migration 0001.", drift.StdOut);
        Assert.Contains("error DBOPS4053: index ix_note_customer_id on note (customer_id) of migration 0001 is missing from the database.", drift.StdOut);
        var md = File.ReadAllText(report);
        Assert.Contains("| DBOPS4047 | column customers.hotfix (text) exists in the database but not in migration 0001 | `ALTER TABLE \"customers\" DROP COLUMN \"hotfix\";` |", md);
        Assert.Contains("CREATE INDEX \"ix_note_customer_id\" ON \"note\" (\"customer_id\");", md);
        AssertNoPassword(project, drift);
        Execute(cs, "ALTER TABLE customers DROP COLUMN hotfix; CREATE INDEX ix_note_customer_id ON note (customer_id); ALTER TABLE customers ALTER COLUMN name TYPE varchar(100)");
        Assert.Equal(0, Verify(project, cs).ExitCode);

        // An applied script edited afterwards, and a script the folder does not have.
        var migration = project.PathOf("Migrations/0001_initial.sql");
        var original = File.ReadAllText(migration);
        File.WriteAllText(migration, original + "\n-- edited after it was applied\n");
        Execute(cs, "INSERT INTO dbops_migrations (script_name, checksum, applied_at) VALUES ('0002_hotfix.sql', 'x', now())");
        var journal = Verify(project, cs);
        Assert.NotEqual(0, journal.ExitCode);
        Assert.Contains("error DBOPS4043: Migration '0001_initial.sql' was edited after it was applied to this database", journal.StdOut);
        Assert.Contains("error DBOPS4042: The database has migration '0002_hotfix.sql' applied, but Migrations does not contain it", journal.StdOut);
        File.WriteAllText(migration, original);
        Execute(cs, "DELETE FROM dbops_migrations WHERE script_name = '0002_hotfix.sql'");

        // A pending script: a warning that lists it.
        project.Write("dbops.yaml", Schema.Replace("      Text: string", "      Text: string\n      Pinned: { type: bool, default: false }"));
        Assert.Equal(0, project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", "-p:DbOpsMigrationName=AddPinned"]).ExitCode);
        var pending = Verify(project, cs);
        Assert.True(pending.ExitCode == 0, pending.ToString());
        Assert.Contains("warning DBOPS4044: 1 migration is not applied to this database yet: 0002_add_pinned.sql. The last applied one is 0001_initial.sql.", pending.StdOut);

        // The -p: route (';' escaped as %3B) gives the same answer and keeps the password out of the normal log.
        var viaProperty = Verify(project, null, $"-p:DbOpsConnectionString={cs.Replace(";", "%3B", StringComparison.Ordinal)}");
        Assert.Contains("warning DBOPS4044", viaProperty.StdOut);
        AssertNoPassword(project, viaProperty);

        // Failing connections: the server's message, the code, no stack trace, no password.
        var b = new NpgsqlConnectionStringBuilder(cs);
        (string Cs, string Words)[] failures =
        [
            (cs.Replace(Password, "wrong-" + Password, StringComparison.Ordinal), "password authentication failed for user \"crm_app\""),
            (cs.Replace($"Port={b.Port}", "Port=1", StringComparison.Ordinal), "Connection refused"),
            (cs.Replace($"Database={b.Database}", "Database=no_such_db", StringComparison.Ordinal), "database \"no_such_db\" does not exist"),
            (cs.Replace("Host=127.0.0.1", "Host=no-such-host.invalid", StringComparison.Ordinal), "no-such-host.invalid"),
        ];
        foreach (var (badCs, words) in failures)
        {
            var failed = Verify(project, badCs);
            Assert.NotEqual(0, failed.ExitCode);
            Assert.Contains("error DBOPS4041: Cannot connect to the database (Host=", failed.StdOut);
            Assert.Contains(words, failed.StdOut);
            Assert.DoesNotContain("   at ", failed.StdOut);
            Assert.DoesNotContain("wrong-" + Password, failed.StdOut);
            AssertNoPassword(project, failed);
        }
        var none = Verify(project, null);
        Assert.Contains("error DBOPS4040", none.StdOut);
    }

    [Fact]
    public void A_sqlite_database_migrated_by_the_app_is_in_sync_a_hand_made_index_is_caught_and_a_missing_file_is_DBOPS4041()
    {
        using var project = new ThrowawayProject(packages, driftCheck: null,
            programCs: "await using var db = Crm.Data.CrmDb.Create(args[0]);\nawait db.MigrateAsync();\nSystem.Console.WriteLine((await db.VerifySchemaAsync()).ToString());\n");
        project.Write("dbops.yaml", Schema.Replace("provider: postgresql", "provider: sqlite"));
        var initial = project.Dotnet(["build", "-nodeReuse:false", "-t:DbOpsAddMigration", "-p:DbOpsMigrationName=Initial"]);
        Assert.True(initial.ExitCode == 0, initial.ToString());
        var file = project.PathOf("app.db");
        var run = project.Dotnet(["run", "--", $"Data Source={file}"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("The database matches the schema of CrmDb (2 tables).", run.StdOut);

        var cs = $"Data Source={file}";
        var ok = Verify(project, cs);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("DbOps: the database matches migration 0001 (2 tables, 1 applied migration;", ok.StdOut);

        var hand = ProcessRunner.Run("sqlite3", [file, "CREATE INDEX ix_hot ON note (text);"]);
        Assert.True(hand.ExitCode == 0, hand.ToString());
        var drift = Verify(project, cs);
        Assert.NotEqual(0, drift.ExitCode);
        Assert.Matches(@"dbops\.yaml\(\d+,\d+\): error DBOPS4053: index ix_hot on note \(text\) exists in the database but not in migration 0001\. To undo the hand-made change: DROP INDEX ""ix_hot"";", drift.StdOut);

        var missing = Verify(project, $"Data Source={project.PathOf("nope.db")}");
        Assert.Contains("error DBOPS4041: Cannot connect to the database (Data Source=", missing.StdOut);
        Assert.Contains("the database file does not exist", missing.StdOut);
        Assert.False(File.Exists(project.PathOf("nope.db")));
    }
}
