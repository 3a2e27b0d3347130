using System.Diagnostics;
using DbOps.Testing;
using Microsoft.Data.Sqlite;

namespace DbOps.Runtime.Tests;

/// <summary>Migrators as separate processes (tests/DbOps.MigratorHost): many at once, and one killed mid-script.</summary>
public class ProcessTests
{
    private const int Instances = 8;

    private static void AssertAllSucceeded(ProcessResult[] results, int scriptCount)
    {
        foreach (var r in results) Assert.True(r.ExitCode == 0, r.ToString());
        // Every script was applied by exactly one of them.
        var applied = results.Sum(r => int.Parse(r.StdOut.Split("RESULT applied=")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(scriptCount, applied);
    }

    [PostgresFact]
    public void Eight_processes_migrate_one_postgres_database_once()
    {
        using var temp = new TempDirectory("dbops-mig");
        using var db = new PgDb();
        var dir = Scripts.WriteFolder(temp, "scripts",
            ("0001_items.sql", "CREATE TABLE items (id serial PRIMARY KEY, what text NOT NULL);"),
            ("0002_seed.sql", "INSERT INTO items (what) VALUES ('seed');\nSELECT pg_sleep(0.5);"),
            ("0003_other.sql", "CREATE TABLE other (id int);\nINSERT INTO other VALUES (1);"));
        var results = MigratorHost.RunConcurrently(Instances, "postgresql", db.ConnectionString, dir);
        AssertAllSucceeded(results, 3);
        Assert.Equal(["0001_items.sql", "0002_seed.sql", "0003_other.sql"], db.Journal().Select(j => j.Name));
        Assert.Equal(1, db.Scalar<long>("SELECT COUNT(*) FROM items"));
        Assert.Equal(1, db.Scalar<long>("SELECT COUNT(*) FROM other"));
    }

    [Fact]
    public void Eight_processes_migrate_one_sqlite_file_once()
    {
        using var temp = new TempDirectory("dbops-mig");
        var file = temp.Combine("app.db");
        var dir = Scripts.WriteFolder(temp, "scripts",
            ("0001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL);"),
            ("0002_seed.sql", "INSERT INTO items (what) VALUES ('seed');"),
            ("0003_rebuild.sql", "-- dbops:no-transaction\nPRAGMA foreign_keys = 0;\n-- dbops:transaction\n" +
                "CREATE TABLE ef_temp_items (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL, note TEXT NULL);\n" +
                "INSERT INTO ef_temp_items (id, what) SELECT id, what FROM items;\nDROP TABLE items;\nALTER TABLE ef_temp_items RENAME TO items;\n" +
                "-- dbops:no-transaction\nPRAGMA foreign_keys = 1;\n"),
            ("0004_more.sql", "INSERT INTO items (what) VALUES ('more');"));
        var results = MigratorHost.RunConcurrently(Instances, "sqlite", $"Data Source={file}", dir);
        AssertAllSucceeded(results, 4);
        using var ds = new DbOps.Runtime.SqliteDbOpsDataSource($"Data Source={file}");
        Assert.Equal(4, Sql.Journal(ds).Count);
        Assert.Equal(2, Sql.Scalar<long>(ds, "SELECT COUNT(*) FROM items"));
        Assert.Equal(1, Sql.Scalar<long>(ds, "SELECT COUNT(*) FROM pragma_table_info('items') WHERE name = 'note'"));
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Starts a migrator, waits until it is applying <paramref name="script"/>, and kills it.</summary>
    private static void RunAndKillDuring(string provider, string connectionString, string dir, string script)
    {
        using var p = new Process { StartInfo = MigratorHost.StartInfo(provider, connectionString, dir) };
        var applying = new ManualResetEventSlim();
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.Contains($"Applying migration {script}", StringComparison.Ordinal)) applying.Set();
        };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        Assert.True(applying.Wait(TimeSpan.FromMinutes(3)), $"the migrator never started {script}:\n{output}");
        Thread.Sleep(500); // let the slow statement start
        Assert.False(p.HasExited, $"the migrator finished before it could be killed:\n{output}");
        p.Kill(entireProcessTree: true);
        Assert.True(p.WaitForExit(60_000));
    }

    [PostgresFact]
    public void Postgres_migrator_killed_mid_script_then_rerun_completes()
    {
        using var temp = new TempDirectory("dbops-mig");
        using var db = new PgDb();
        var dir = Scripts.WriteFolder(temp, "scripts",
            ("0001_items.sql", "CREATE TABLE items (id serial PRIMARY KEY, what text NOT NULL);"),
            ("0002_slow.sql", "CREATE TABLE slow (id int);\nINSERT INTO slow VALUES (1);\nINSERT INTO items (what) VALUES ('slow');\nSELECT pg_sleep(5);"),
            ("0003_after.sql", "INSERT INTO items (what) VALUES ('after');"));
        RunAndKillDuring("postgresql", db.ConnectionString, dir, "0002_slow.sql");

        // The killed script's transaction never committed (its backend may still be sleeping, holding the lock).
        Assert.Equal(["0001_items.sql"], db.Journal().Select(j => j.Name));
        Assert.False(Sql.PgTableExists(db.DataSource, "slow"));

        // A new instance waits for the orphaned session to end, then applies 0002 and 0003 once.
        var rerun = MigratorHost.Run("postgresql", db.ConnectionString, dir);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("RESULT applied=2", rerun.StdOut);
        Assert.Equal(["0001_items.sql", "0002_slow.sql", "0003_after.sql"], db.Journal().Select(j => j.Name));
        Assert.Equal(1, db.Scalar<long>("SELECT COUNT(*) FROM slow"));
        Assert.Equal(2, db.Scalar<long>("SELECT COUNT(*) FROM items"));
        Assert.True(MigratorHost.Run("postgresql", db.ConnectionString, dir).StdOut.Contains("RESULT applied=0", StringComparison.Ordinal));
    }

    [Fact]
    public void Sqlite_migrator_killed_mid_script_then_rerun_completes()
    {
        using var temp = new TempDirectory("dbops-mig");
        var file = temp.Combine("app.db");
        var cs = $"Data Source={file}";
        const string slowBody = "CREATE TABLE slow (n INTEGER NOT NULL);\nINSERT INTO items (what) VALUES ('slow');\n" +
            "INSERT INTO slow WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {0}) SELECT COUNT(*) FROM c;\n";
        (string, string)[] scripts =
        [
            ("0001_items.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL);"),
            ("0002_slow.sql", string.Format(System.Globalization.CultureInfo.InvariantCulture, slowBody, 1_000_000_000)),
            ("0003_after.sql", "INSERT INTO items (what) VALUES ('after');"),
        ];
        var dir = Scripts.WriteFolder(temp, "scripts", scripts);
        RunAndKillDuring("sqlite", cs, dir, "0002_slow.sql");

        using (var ds = new DbOps.Runtime.SqliteDbOpsDataSource(cs))
        {
            // Opening the file rolls the killed transaction back (hot journal).
            Assert.Equal(["0001_items.sql"], Sql.Journal(ds).Select(j => j.Name));
            Assert.False(Sql.SqliteTableExists(ds, "slow"));
            Assert.Equal(0, Sql.Scalar<long>(ds, "SELECT COUNT(*) FROM items"));
        }
        SqliteConnection.ClearAllPools();

        // 0002 was never applied, so a quicker version of it may run now.
        scripts[1] = ("0002_slow.sql", string.Format(System.Globalization.CultureInfo.InvariantCulture, slowBody, 10));
        dir = Scripts.WriteFolder(temp, "scripts", scripts);
        var rerun = MigratorHost.Run("sqlite", cs, dir);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("RESULT applied=2", rerun.StdOut);
        using (var ds = new DbOps.Runtime.SqliteDbOpsDataSource(cs))
        {
            Assert.Equal(["0001_items.sql", "0002_slow.sql", "0003_after.sql"], Sql.Journal(ds).Select(j => j.Name));
            Assert.Equal(10, Sql.Scalar<long>(ds, "SELECT n FROM slow"));
            Assert.Equal(2, Sql.Scalar<long>(ds, "SELECT COUNT(*) FROM items"));
        }
        SqliteConnection.ClearAllPools();
    }
}
