using System.Data.Common;
using DbOps.Runtime;
using DbOps.Testing;
using DbUp.Engine;

namespace DbOps.Runtime.Tests;

/// <summary>
/// A baseline (the first script, marked <c>-- dbops:baseline tables: ...</c> by DbOpsImport) on an empty, an existing
/// and a partial database, on real SQLite files and a real PostgreSQL server.
/// </summary>
public class BaselineTests
{
    private static readonly string BaselineSql =
        DbOpsMigrationScript.FormatBaselineHeader(["artist", "album"]) + "\n" +
        "-- dbops: imported\n" +
        "CREATE TABLE artist (id integer PRIMARY KEY, name varchar(100) NOT NULL);\n" +
        "CREATE TABLE album (id integer PRIMARY KEY, artist_id integer NOT NULL REFERENCES artist (id), title varchar(100) NOT NULL);\n";

    private static List<SqlScript> Scripts2() => Scripts.Of(
        ("0001_baseline.sql", BaselineSql),
        ("0002_add_genre.sql", "CREATE TABLE genre (id integer PRIMARY KEY, name varchar(50) NOT NULL);\nINSERT INTO genre (id, name) VALUES (1, 'rock');\n"));

    /// <summary>The database a team already has: the baseline's tables made by hand, with rows, no journal.</summary>
    private static void MakeExisting(DbDataSource ds, bool partial = false)
    {
        Sql.Exec(ds, "CREATE TABLE artist (id integer PRIMARY KEY, name varchar(100) NOT NULL)");
        Sql.Exec(ds, "INSERT INTO artist (id, name) VALUES (1, 'Ann'), (2, 'Bob')");
        if (partial) return;
        Sql.Exec(ds, "CREATE TABLE album (id integer PRIMARY KEY, artist_id integer NOT NULL REFERENCES artist (id), title varchar(100) NOT NULL)");
        Sql.Exec(ds, "INSERT INTO album (id, artist_id, title) VALUES (10, 1, 'First'), (11, 2, 'Second'), (12, 2, 'Third')");
    }

    [Fact]
    public void Header_round_trips_and_only_leading_comments_count()
    {
        Assert.Equal("-- dbops:baseline tables: a, B_c", DbOpsMigrationScript.FormatBaselineHeader(["a", "B_c"]));
        Assert.Equal(["a", "B_c"], DbOpsMigrationScript.ParseBaselineTables("-- x\n\n-- dbops:baseline tables: a, B_c\r\nCREATE TABLE a (id int);"));
        Assert.Null(DbOpsMigrationScript.ParseBaselineTables("CREATE TABLE a (id int);\n-- dbops:baseline tables: a\n"));
        Assert.Null(DbOpsMigrationScript.ParseBaselineTables("-- an ordinary migration\nCREATE TABLE a (id int);"));
    }

    [Fact]
    public Task Sqlite_Empty_database_runs_the_baseline_and_the_later_scripts() => Empty_database_runs_the_baseline_and_the_later_scripts("sqlite");

    [PostgresFact]
    public Task Postgres_Empty_database_runs_the_baseline_and_the_later_scripts() => Empty_database_runs_the_baseline_and_the_later_scripts("postgresql");

    [Fact]
    public Task Sqlite_Existing_database_records_the_baseline_keeps_every_row_and_runs_the_rest() => Existing_database_records_the_baseline_keeps_every_row_and_runs_the_rest("sqlite");

    [PostgresFact]
    public Task Postgres_Existing_database_records_the_baseline_keeps_every_row_and_runs_the_rest() => Existing_database_records_the_baseline_keeps_every_row_and_runs_the_rest("postgresql");

    [Fact]
    public Task Sqlite_Partial_database_is_refused_naming_the_missing_table_and_nothing_changes() => Partial_database_is_refused_naming_the_missing_table_and_nothing_changes("sqlite");

    [PostgresFact]
    public Task Postgres_Partial_database_is_refused_naming_the_missing_table_and_nothing_changes() => Partial_database_is_refused_naming_the_missing_table_and_nothing_changes("postgresql");

    [Fact]
    public Task Sqlite_Concurrent_migrations_on_an_existing_database_record_the_baseline_once() => Concurrent_migrations_on_an_existing_database_record_the_baseline_once("sqlite");

    [PostgresFact]
    public Task Postgres_Concurrent_migrations_on_an_existing_database_record_the_baseline_once() => Concurrent_migrations_on_an_existing_database_record_the_baseline_once("postgresql");

    [Fact]
    public Task Sqlite_A_database_with_other_tables_only_gets_the_baseline() => A_database_with_other_tables_only_gets_the_baseline("sqlite");

    [PostgresFact]
    public Task Postgres_A_database_with_other_tables_only_gets_the_baseline() => A_database_with_other_tables_only_gets_the_baseline("postgresql");

    private sealed class Db : IDisposable
    {
        private readonly SqliteDb? _sqlite;
        private readonly PgDb? _pg;

        public Db(string provider)
        {
            if (provider == "sqlite") _sqlite = new SqliteDb();
            else _pg = new PgDb();
        }

        public DbDataSource DataSource => _sqlite?.DataSource ?? _pg!.DataSource;
        public DbOpsProviderServices Services => _sqlite is not null ? DbOpsSqliteServices.Instance : DbOpsPostgreSqlServices.Instance;

        public Task<DbOpsMigrationResult> MigrateAsync() => DbOpsMigrator.MigrateAsync(DataSource, Services, Scripts2());

        public Task<IReadOnlyList<string>> PendingAsync() => DbOpsMigrator.GetPendingMigrationsAsync(DataSource, Services, Scripts2());

        public bool TableExists(string table) => _sqlite is not null ? Sql.SqliteTableExists(DataSource, table) : Sql.PgTableExists(DataSource, table);

        public long Count(string sql) => Sql.Scalar<long>(DataSource, sql);

        public void Dispose()
        {
            _sqlite?.Dispose();
            _pg?.Dispose();
        }
    }

    private static async Task Empty_database_runs_the_baseline_and_the_later_scripts(string provider)
    {
        using var db = new Db(provider);
        Assert.Equal(["0001_baseline.sql", "0002_add_genre.sql"], await db.PendingAsync());
        var result = await db.MigrateAsync();
        Assert.Equal(["0001_baseline.sql", "0002_add_genre.sql"], result.AppliedScripts);
        Assert.Null(result.RecordedBaseline);
        Assert.True(db.TableExists("album"));
        Assert.Empty(await db.PendingAsync());
        Assert.True((await db.MigrateAsync()).WasUpToDate);
    }

    private static async Task Existing_database_records_the_baseline_keeps_every_row_and_runs_the_rest(string provider)
    {
        using var db = new Db(provider);
        MakeExisting(db.DataSource);
        Assert.Equal(["0002_add_genre.sql"], await db.PendingAsync());
        var result = await db.MigrateAsync();
        Assert.Equal("0001_baseline.sql", result.RecordedBaseline);
        Assert.Equal(["0002_add_genre.sql"], result.AppliedScripts);
        Assert.Contains("Recorded the baseline 0001_baseline.sql", result.ToString());
        Assert.Equal(2, db.Count("SELECT COUNT(*) FROM artist"));
        Assert.Equal(3, db.Count("SELECT COUNT(*) FROM album"));
        Assert.Equal(1, db.Count("SELECT COUNT(*) FROM genre"));
        Assert.Equal(Scripts2().Select(s => (s.Name, DbOpsMigrationScript.ComputeChecksum(s.Contents))), Sql.Journal(db.DataSource));
        Assert.Empty(await db.PendingAsync());
        var again = await db.MigrateAsync();
        Assert.True(again.WasUpToDate);
        Assert.Equal(2, again.AlreadyAppliedCount);
    }

    private static async Task Partial_database_is_refused_naming_the_missing_table_and_nothing_changes(string provider)
    {
        using var db = new Db(provider);
        MakeExisting(db.DataSource, partial: true);
        var pending = await Assert.ThrowsAsync<DbOpsMigrationException>(db.PendingAsync);
        var e = await Assert.ThrowsAsync<DbOpsMigrationException>(db.MigrateAsync);
        Assert.Equal(pending.Message, e.Message);
        Assert.Equal("0001_baseline.sql", e.ScriptName);
        Assert.Contains("missing album (present: artist)", e.Message);
        Assert.False(db.TableExists("dbops_migrations"));
        Assert.False(db.TableExists("album"));
        Assert.False(db.TableExists("genre"));
        Assert.Equal(2, db.Count("SELECT COUNT(*) FROM artist"));
    }

    private static async Task Concurrent_migrations_on_an_existing_database_record_the_baseline_once(string provider)
    {
        using var db = new Db(provider);
        MakeExisting(db.DataSource);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(db.MigrateAsync)));
        Assert.Single(results, r => r.RecordedBaseline is not null);
        Assert.Equal(1, results.Sum(r => r.AppliedScripts.Count));
        Assert.All(results, r => Assert.DoesNotContain("0001_baseline.sql", r.AppliedScripts));
        Assert.Equal(["0001_baseline.sql", "0002_add_genre.sql"], Sql.Journal(db.DataSource).Select(j => j.Name));
        Assert.Equal(1, db.Count("SELECT COUNT(*) FROM genre"));
        Assert.Equal(3, db.Count("SELECT COUNT(*) FROM album"));
    }

    private static async Task A_database_with_other_tables_only_gets_the_baseline(string provider)
    {
        using var db = new Db(provider);
        Sql.Exec(db.DataSource, "CREATE TABLE unrelated (id integer PRIMARY KEY)");
        var result = await db.MigrateAsync();
        Assert.Equal(["0001_baseline.sql", "0002_add_genre.sql"], result.AppliedScripts);
        Assert.True(db.TableExists("unrelated"));
    }
}
