using System.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Sql.Migrations;
using DbOps.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace DbOps.Migrations.Tests;

/// <summary>PostgreSQL migrations on populated tables that the application keeps writing to.</summary>
public class LockSafeMigrationTests(ITestOutputHelper output)
{
    internal const string V1 = """
        dbops: 1
        name: L
        provider: postgresql
        entities:
          Account:
            columns:
              Id: { type: int64, primaryKey: true }
              Name: string(40)
          Event:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              AccountId: int64
              Kind: int32
              Amount: int64
              Note: string(40)?
        """;

    /// <summary>A composite index, a CHECK (from min) and a foreign key on the existing, populated Event table.</summary>
    internal static readonly string V2 = V1
        .Replace("AccountId: int64", "AccountId: { type: int64, references: Account }")
        .Replace("Amount: int64", "Amount: { type: int64, min: 0 }")
        + "\n    indexes:\n      - columns: [AccountId, Kind]\n";

    private static SchemaModel S(string yaml) => TestSchemas.Load(yaml, "postgresql");

    [Fact]
    public void Indexes_checks_and_foreign_keys_on_existing_tables_are_built_without_blocking_writes()
    {
        var script = MigrationPlanner.Plan(S(V1), S(V2), DbProvider.PostgreSql).Script("0002_x", false);
        var pieces = MigrationScript.Split(script);
        Assert.Equal(("SET lock_timeout = '5s';\n", false), pieces[0]);
        Assert.Contains(pieces, p => !p.InTransaction && p.Sql.StartsWith("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_event_account_id_kind ON event (account_id, kind);", StringComparison.Ordinal));
        Assert.Contains(pieces, p => !p.InTransaction && p.Sql.Contains("NOT i.indisvalid", StringComparison.Ordinal) && p.Sql.Contains("DROP INDEX ix_event_account_id_kind;", StringComparison.Ordinal));
        Assert.Contains(pieces, p => !p.InTransaction && p.Sql.Contains("CHECK (amount >= 0) NOT VALID;", StringComparison.Ordinal));
        Assert.Contains(pieces, p => !p.InTransaction && p.Sql.Contains("FOREIGN KEY (account_id) REFERENCES account (id)", StringComparison.Ordinal) && p.Sql.Contains("NOT VALID;", StringComparison.Ordinal));
        Assert.Contains(("ALTER TABLE event VALIDATE CONSTRAINT fk_event_account_id;\n", false), pieces);
        Assert.Contains(("ALTER TABLE event VALIDATE CONSTRAINT ck_event_amount_min;\n", false), pieces);
        // Every statement outside a transaction is its own piece (CONCURRENTLY refuses a batch).
        Assert.All(pieces.Where(p => !p.InTransaction), p => Assert.DoesNotContain(";\nALTER", p.Sql, StringComparison.Ordinal));
        // Nothing that scans the table is left in a transaction.
        Assert.DoesNotContain(pieces, p => p.InTransaction && (p.Sql.Contains("CREATE INDEX", StringComparison.Ordinal) || p.Sql.Contains("ADD CONSTRAINT", StringComparison.Ordinal)));
    }

    [Fact]
    public void New_tables_stay_plain_and_transactional_and_lock_timeout_follows_the_option()
    {
        var v2 = V2 + "  Fresh:\n    columns:\n      Id: { type: int64, primaryKey: true }\n      AccountId: { type: int64, references: Account }\n      Score: { type: int32, min: 1 }\n    indexes:\n      - columns: [Score, AccountId]\n";
        var script = MigrationPlanner.Plan(S(V1), S(v2), DbProvider.PostgreSql, new MigrationOptions { LockTimeout = "0" }).Script("0002_x", false);
        Assert.DoesNotContain("lock_timeout", script, StringComparison.Ordinal);
        var pieces = MigrationScript.Split(script);
        Assert.Contains(pieces, p => p.InTransaction && p.Sql.Contains("CREATE INDEX ix_fresh_score_account_id ON fresh", StringComparison.Ordinal));
        Assert.Contains(pieces, p => p.InTransaction && p.Sql.Contains("CONSTRAINT ck_fresh_score_min CHECK", StringComparison.Ordinal));
        Assert.DoesNotContain(pieces, p => p.Sql.Contains("VALIDATE CONSTRAINT ck_fresh", StringComparison.Ordinal));
        var initial = MigrationPlanner.Plan(null, S(V2), DbProvider.PostgreSql, new MigrationOptions { LockTimeout = "1500ms" }).Script("0001_initial", false);
        Assert.StartsWith("SET lock_timeout = '1500ms';", MigrationScript.Split(initial)[0].Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("CONCURRENTLY", initial, StringComparison.Ordinal);
    }

    [Fact]
    public void A_unique_key_for_a_new_reference_is_built_concurrently_and_taken_over_by_the_constraint()
    {
        var v1 = V1.Replace("Name: string(40)", "Name: string(40)\n      Code: string(10)");
        var v2 = v1.Replace("Code: string(10)", "Code: { type: string(10), unique: true }").Replace("Note: string(40)?", "Note: string(40)?\n      AccountCode: { type: string(10)?, references: Account.Code }");
        var script = MigrationPlanner.Plan(S(v1), S(v2), DbProvider.PostgreSql).Script("0002_x", false);
        var pieces = MigrationScript.Split(script);
        var build = pieces.ToList().FindIndex(p => !p.InTransaction && p.Sql.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ux_account_code ON account (code);", StringComparison.Ordinal));
        var takeOver = pieces.ToList().FindIndex(p => !p.InTransaction && p.Sql.Contains("ADD CONSTRAINT ux_account_code UNIQUE USING INDEX ux_account_code;", StringComparison.Ordinal));
        var fk = pieces.ToList().FindIndex(p => !p.InTransaction && p.Sql.Contains("FOREIGN KEY (account_code) REFERENCES account (code)", StringComparison.Ordinal));
        Assert.True(build >= 0 && build < takeOver && takeOver < fk, script);
        if (PostgresServer.FindBinDir() is null) return;
        using var db = TestDb.Create(DbProvider.PostgreSql);
        db.Apply(MigrationPlanner.Plan(null, S(v1), DbProvider.PostgreSql).Script("0001_initial", false));
        db.Execute("INSERT INTO account (id, name, code) VALUES (1, 'a', 'A1')");
        db.Apply(script);
        Assert.Empty(PlannerTests.LiveCompare(db, S(v2)));
    }

    [Fact]
    public void Set_not_null_goes_through_a_validated_check()
    {
        var v2 = V1.Replace("Note: string(40)?", "Note: string(40)");
        var script = MigrationPlanner.Plan(S(V1), S(v2), DbProvider.PostgreSql).Script("0002_x", false);
        var pieces = MigrationScript.Split(script).Select(p => p.Sql).ToList();
        var add = pieces.FindIndex(p => p.Contains("ADD CONSTRAINT dbops_nn_event_note CHECK (note IS NOT NULL) NOT VALID", StringComparison.Ordinal));
        var validate = pieces.IndexOf("ALTER TABLE event VALIDATE CONSTRAINT dbops_nn_event_note;\n");
        var setNotNull = pieces.IndexOf("ALTER TABLE event ALTER COLUMN note SET NOT NULL;\n");
        var drop = pieces.IndexOf("ALTER TABLE event DROP CONSTRAINT IF EXISTS dbops_nn_event_note;\n");
        Assert.True(add >= 0 && add < validate && validate < setNotNull && setNotNull < drop, script);
        Assert.Equal(1, pieces.Count(p => p.Contains("SET NOT NULL", StringComparison.Ordinal)));
        if (PostgresServer.FindBinDir() is null) return;
        using var db = TestDb.Create(DbProvider.PostgreSql);
        db.Apply(MigrationPlanner.Plan(null, S(V1), DbProvider.PostgreSql).Script("0001_initial", false));
        db.Execute("INSERT INTO event (account_id, kind, amount, note) VALUES (1, 1, 1, 'a')");
        db.Apply(script);
        db.Apply(script[script.IndexOf("-- dbops:no-transaction\nDO", StringComparison.Ordinal)..]); // the steps again: a rerun completes
        Assert.Equal("NO", db.Scalar("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'event' AND column_name = 'note'"));
        Assert.Equal(0L, db.Scalar("SELECT COUNT(*) FROM pg_constraint WHERE conname LIKE 'dbops_nn_%'"));
    }

    /// <summary>
    /// The load test: a 1M-row table that two writers keep inserting into while the migration adds a composite index, a
    /// CHECK and a foreign key. The verdict is what the server shows: how long an insert sat in a lock wait
    /// (pg_stat_activity, wait_event_type = 'Lock'), not the client's wall time, which on a shared 2-core machine also
    /// counts CPU starvation. With DbOps' SQL no insert waits on a lock for long; the same migration written the plain
    /// way (EF Core's SQL in one transaction) is the control and holds the writers in a lock wait for the whole build.
    /// </summary>
    [Fact]
    public async Task Writers_keep_inserting_while_the_migration_runs_on_a_populated_table()
    {
        if (PostgresServer.FindBinDir() is null)
        {
            Assert.False(PostgresServer.Required, "PostgreSQL binaries are required");
            return;
        }
        var (v1, v2) = (S(V1), S(V2));
        var initial = MigrationPlanner.Plan(null, v1, DbProvider.PostgreSql).Script("0001_initial", false);
        var safe = MigrationPlanner.Plan(v1, v2, DbProvider.PostgreSql).Script("0002_safe", false);
        // The control: the same operations as EF Core writes them, in one transaction.
        var plain = Sql.MigrationSql.Script(Sql.DbModelFactory.Build(v1, DbProvider.PostgreSql), Sql.DbModelFactory.Build(v2, DbProvider.PostgreSql), DbProvider.PostgreSql);
        Assert.Contains("CREATE INDEX ix_event_account_id_kind", plain, StringComparison.Ordinal);

        var rows = int.TryParse(Environment.GetEnvironmentVariable("DBOPS_LOAD_ROWS"), out var r) ? r : 1_000_000;
        // Interleaved: control, DbOps, control, DbOps; each on a fresh database.
        var results = new List<(string Kind, LoadResult Result)>();
        foreach (var kind in new[] { "plain", "dbops", "plain", "dbops" })
        {
            var result = await RunUnderLoadAsync(initial, kind == "dbops" ? safe : plain, rows);
            output.WriteLine($"{kind}: {rows:N0} rows, migration {result.Migration.TotalMilliseconds:F0} ms, {result.Inserts} inserts, " +
                             $"longest insert {result.LongestWait.TotalMilliseconds:F0} ms, longest lock wait seen {result.LongestLockWait.TotalMilliseconds:F0} ms; " +
                             $"inserts seen waiting for: {result.InsertsWaitedFor}");
            results.Add((kind, result));
        }
        var dbops = results.Where(x => x.Kind == "dbops").Select(x => x.Result).ToList();
        var control = results.Where(x => x.Kind == "plain").Select(x => x.Result).ToList();
        // The writers kept going through every migration.
        Assert.All(results, x => Assert.True(x.Result.Inserts > 0, $"{x.Kind}: no insert completed"));
        // DbOps' steps hold a lock that blocks inserts only for catalog updates (NOT VALID constraints), never for a scan.
        Assert.All(dbops, x => Assert.True(x.LongestLockWait < TimeSpan.FromMilliseconds(500),
            $"an insert waited {x.LongestLockWait.TotalMilliseconds:F0} ms for a lock during the DbOps migration ({x.InsertsWaitedFor})"));
        // The control must show the stall, or the observation proves nothing: its inserts wait for the index build.
        var worstDbOps = dbops.Max(x => x.LongestLockWait);
        Assert.All(control, x => Assert.True(x.LongestLockWait > worstDbOps * 2 && x.LongestLockWait > TimeSpan.FromMilliseconds(200),
            $"the plain migration held inserts in a lock wait only {x.LongestLockWait.TotalMilliseconds:F0} ms (DbOps: {worstDbOps.TotalMilliseconds:F0} ms)"));
    }

    /// <summary>
    /// The migrating session is killed while CREATE INDEX CONCURRENTLY builds (after the script's transaction added a
    /// column): the index is left invalid. Running the migration again skips the committed transaction, drops the invalid
    /// index, builds it again and records the script.
    /// </summary>
    [Fact]
    public async Task A_concurrent_index_build_killed_halfway_completes_when_the_migration_runs_again()
    {
        if (PostgresServer.FindBinDir() is null)
        {
            Assert.False(PostgresServer.Required, "PostgreSQL binaries are required");
            return;
        }
        var v2 = S(V2.Replace("Note: string(40)?", "Note: string(40)?\n      Extra: int32?"));
        var initial = MigrationPlanner.Plan(null, S(V1), DbProvider.PostgreSql).Script("0001_initial", false);
        var change = MigrationPlanner.Plan(S(V1), v2, DbProvider.PostgreSql).Script("0002_change", false);
        var cs = PostgresServer.Instance.CreateDatabase("kill");
        await using var dataSource = NpgsqlDataSource.Create(cs);
        await Migrate(dataSource, initial);
        await using var admin = new NpgsqlConnection(cs);
        admin.Open();
        Exec(admin, "INSERT INTO account (id, name) SELECT g, 'a' || g FROM generate_series(1, 1000) g");
        Exec(admin, "INSERT INTO event (account_id, kind, amount) SELECT 1 + g % 1000, g % 7, g % 1000 FROM generate_series(1, 1000000) g");

        var run = Task.Run(() => Migrate(dataSource, initial, change));
        int? killed = null;
        var clock = Stopwatch.StartNew();
        while (killed is null && !run.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            using var find = new NpgsqlCommand(
                "SELECT pid FROM pg_stat_progress_create_index WHERE command = 'CREATE INDEX CONCURRENTLY' AND phase LIKE 'building index%'", admin);
            if (find.ExecuteScalar() is int pid)
            {
                using var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({pid})", admin);
                kill.ExecuteScalar();
                killed = pid;
            }
            else Thread.Sleep(5);
        }
        Assert.NotNull(killed);
        var failure = await Assert.ThrowsAsync<Runtime.DbOpsMigrationException>(() => run);
        output.WriteLine(failure.Message);
        Assert.False((bool)new NpgsqlCommand("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('ix_event_account_id_kind')", admin).ExecuteScalar()!);
        Assert.Equal(1L, new NpgsqlCommand("SELECT COUNT(*) FROM dbops_migrations", admin).ExecuteScalar());
        // The script's transaction (the new column) committed before the build was killed, and says so.
        Assert.Equal(1L, new NpgsqlCommand("SELECT COUNT(*) FROM dbops_migrations_progress WHERE script_name = '0002_change.sql'", admin).ExecuteScalar());
        dataSource.Clear();

        var result = await Migrate(dataSource, initial, change);
        Assert.Equal(["0002_change.sql"], result.AppliedScripts);
        Assert.True((bool)new NpgsqlCommand("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('ix_event_account_id_kind')", admin).ExecuteScalar()!);
        Assert.Equal(1L, new NpgsqlCommand("SELECT COUNT(*) FROM pg_index WHERE indrelid = to_regclass('event') AND NOT indisvalid", admin).ExecuteScalar() is long n ? n + 1 : -1);
        Assert.Equal(2L, new NpgsqlCommand("SELECT COUNT(*) FROM pg_constraint WHERE conrelid = to_regclass('event') AND contype IN ('c', 'f') AND convalidated", admin).ExecuteScalar());
        Assert.Equal(true, new NpgsqlCommand("SELECT to_regclass('dbops_migrations_progress') IS NULL", admin).ExecuteScalar()); // the bookkeeping is gone
        Assert.Equal(2L, new NpgsqlCommand("SELECT COUNT(*) FROM dbops_migrations", admin).ExecuteScalar());
    }

    /// <summary>
    /// A long transaction that only reads the table (ACCESS SHARE) holds up the migration's steps: each gives up after
    /// lock_timeout and is retried, so the queries that arrive meanwhile are never queued behind the migration for long.
    /// </summary>
    [Fact]
    public async Task A_step_that_waits_for_a_long_transaction_times_out_and_is_retried()
    {
        if (PostgresServer.FindBinDir() is null)
        {
            Assert.False(PostgresServer.Required, "PostgreSQL binaries are required");
            return;
        }
        var initial = MigrationPlanner.Plan(null, S(V1), DbProvider.PostgreSql).Script("0001_initial", false);
        var change = MigrationPlanner.Plan(S(V1), S(V2), DbProvider.PostgreSql, new MigrationOptions { LockTimeout = "200ms" }).Script("0002_change", false);
        var cs = PostgresServer.Instance.CreateDatabase("retry");
        await using var dataSource = NpgsqlDataSource.Create(cs);
        await Migrate(dataSource, initial);
        await using var blocker = new NpgsqlConnection(cs);
        blocker.Open();
        await using var tx = await blocker.BeginTransactionAsync();
        Exec(blocker, "SELECT COUNT(*) FROM event"); // a long report: ACCESS SHARE until it commits
        var log = new EventLog();
        var run = Task.Run(() => Migrate(dataSource, initial, change, log));

        // Readers keep coming while the blocker holds its lock for 2 s.
        await using var reader = new NpgsqlConnection(cs);
        reader.Open();
        var longest = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            var one = Stopwatch.StartNew();
            Exec(reader, "SELECT COUNT(*) FROM account");
            Exec(reader, "SELECT id FROM event LIMIT 1");
            if (one.Elapsed > longest) longest = one.Elapsed;
            Thread.Sleep(20);
        }
        Assert.False(run.IsCompleted);
        await tx.CommitAsync();
        var result = await run;
        Assert.Equal(["0002_change.sql"], result.AppliedScripts);
        Assert.Contains(4108, log.EventIds); // DbOpsMigrationLockTimeout: a step gave up its lock request and was retried
        // Without lock_timeout a reader would queue behind the migration's lock request until the blocker ends (2 s).
        output.WriteLine($"longest reader wait while the migration waited for the long transaction: {longest.TotalMilliseconds:F0} ms");
        // 1.5 s, not the 200 ms lock_timeout: the margin is for CPU starvation on a shared machine, and still below the 2 s
        // that a reader queued behind the migration would wait.
        Assert.True(longest < TimeSpan.FromSeconds(1.5), $"a reader waited {longest.TotalMilliseconds:F0} ms");
        using var valid = new NpgsqlCommand("SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = to_regclass('event')", reader);
        Assert.Equal(true, valid.ExecuteScalar());
    }

    private sealed class EventLog : Microsoft.Extensions.Logging.ILogger
    {
        public System.Collections.Concurrent.ConcurrentBag<int> EventIds { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => EventIds.Add(eventId.Id);
    }

    internal sealed record LoadResult(TimeSpan Migration, TimeSpan LongestWait, long Inserts, string InsertsWaitedFor, TimeSpan LongestLockWait);

    private static async Task<LoadResult> RunUnderLoadAsync(string initial, string migration, int rows)
    {
        var cs = PostgresServer.Instance.CreateDatabase("load");
        await using var dataSource = NpgsqlDataSource.Create(cs);
        await Migrate(dataSource, initial);
        using (var db = new NpgsqlConnection(cs))
        {
            db.Open();
            Exec(db, "INSERT INTO account (id, name) SELECT g, 'a' || g FROM generate_series(1, 1000) g");
            Exec(db, $"INSERT INTO event (account_id, kind, amount, note) SELECT 1 + g % 1000, g % 7, g % 1000, NULL FROM generate_series(1, {rows}) g");
            // Vacuumed like a table in production, so that autovacuum does not pick it up during the measurement: a lock
            // request queued behind autovacuum waits up to deadlock_timeout (1 s) before autovacuum is cancelled.
            Exec(db, "VACUUM (ANALYZE) event");
        }
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() => Write(cs, w, stop.Token))).ToArray();
        await Task.Delay(300); // the writers are running
        using var watching = new CancellationTokenSource();
        var blockers = Task.Run(() => Blockers(cs, watching.Token));
        var clock = Stopwatch.StartNew();
        var applied = await Migrate(dataSource, initial, migration);
        var elapsed = clock.Elapsed;
        await watching.CancelAsync();
        Assert.Equal(["0002_change.sql"], applied.AppliedScripts);
        await Task.Delay(300);
        await stop.CancelAsync();
        var waits = await Task.WhenAll(writers);
        NpgsqlConnection.ClearAllPools();
        var (waitedFor, longestLockWait) = await blockers;
        return new LoadResult(elapsed, waits.Max(w => w.Longest), waits.Sum(w => w.Count), waitedFor, longestLockWait);
    }

    /// <summary>
    /// What the writers' inserts were seen waiting for (a lock held or requested by another session), and the longest
    /// lock wait seen, as the server times it (an insert starts waiting as soon as it starts).
    /// </summary>
    private static (string WaitedFor, TimeSpan LongestLockWait) Blockers(string cs, CancellationToken stop)
    {
        using var db = new NpgsqlConnection(cs);
        db.Open();
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var longest = 0.0;
        using var look = new NpgsqlCommand("""
            SELECT left(regexp_replace(b.query, '\s+', ' ', 'g'), 70), extract(epoch FROM clock_timestamp() - a.query_start)::float8
            FROM pg_stat_activity a
            JOIN pg_stat_activity b ON b.pid = ANY (pg_blocking_pids(a.pid))
            WHERE a.query LIKE 'INSERT INTO event%' AND a.wait_event_type = 'Lock'
            """, db);
        while (!stop.IsCancellationRequested)
        {
            using (var r = look.ExecuteReader())
                while (r.Read())
                {
                    seen.Add(r.IsDBNull(0) ? "?" : r.GetString(0));
                    longest = Math.Max(longest, r.GetDouble(1));
                }
            Thread.Sleep(5);
        }
        return (seen.Count == 0 ? "none seen" : string.Join(" | ", seen), TimeSpan.FromSeconds(longest));
    }

    /// <summary>The run-time migrator (journal, lock, lock_timeout retries) on 0001_initial and, if given, 0002_change.</summary>
    internal static Task<Runtime.DbOpsMigrationResult> Migrate(NpgsqlDataSource dataSource, string initial, string? change = null,
        Microsoft.Extensions.Logging.ILogger? logger = null) =>
        Runtime.DbOpsMigrator.MigrateAsync(dataSource, Runtime.DbOpsPostgreSqlServices.Instance,
            change is null ? [new DbUp.Engine.SqlScript("0001_initial.sql", initial)]
                : [new DbUp.Engine.SqlScript("0001_initial.sql", initial), new DbUp.Engine.SqlScript("0002_change.sql", change)], logger);

    private static (TimeSpan Longest, long Count) Write(string cs, int writer, CancellationToken stop)
    {
        using var db = new NpgsqlConnection(cs);
        db.Open();
        using var insert = new NpgsqlCommand("INSERT INTO event (account_id, kind, amount, note) VALUES (@a, @k, 1, NULL)", db);
        var a = new NpgsqlParameter<long> { ParameterName = "a" };
        var k = new NpgsqlParameter<int> { ParameterName = "k" };
        insert.Parameters.Add(a);
        insert.Parameters.Add(k);
        var longest = TimeSpan.Zero;
        long count = 0;
        var clock = new Stopwatch();
        while (!stop.IsCancellationRequested)
        {
            a.TypedValue = 1 + (count + writer) % 1000;
            k.TypedValue = (int)(count % 7);
            clock.Restart();
            insert.ExecuteNonQuery();
            if (clock.Elapsed > longest) longest = clock.Elapsed;
            count++;
            Thread.Sleep(2);
        }
        return (longest, count);
    }

    private static void Exec(NpgsqlConnection db, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, db) { CommandTimeout = 0 };
        cmd.ExecuteNonQuery();
    }
}
