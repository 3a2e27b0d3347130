using DbOps.Schema.Model;
using DbOps.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DbOps.Sql.Tests;

/// <summary>Reserved words, names past PostgreSQL's 63-character limit, offsets in defaults, nullable unique columns.</summary>
public sealed class EdgeCaseTests : IDisposable
{
    private readonly TempDirectory _temp = new("dbops-edge");
    public void Dispose() => _temp.Dispose();

    private const string LongColumn = "AVeryLongColumnNameThatKeepsGoingAndGoingWellPastTheLimit";

    private static SchemaModel Awkward() => new SchemaBuilder("AwkwardDb")
        .Entity("User", e => e.Table("user")
            .Column("Order", "int32", c => c.PrimaryKey())
            .Column("Group", "string(20)?", c => c.Unique().MinLength(2))
            .Column(LongColumn, "int32", c => c.Min(1).Max(9))
            .Column("Select", "datetimeoffset", c => c.Default(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2))))
            .Column("Counter", "int64", c => c.Identity()))
        .Build();

    [Fact]
    public void Long_generated_names_are_shortened_like_the_validator_does()
    {
        var names = CheckConstraints.For(Awkward().FindEntity("User")!, DbProvider.PostgreSql).Select(c => c.Name).ToList();
        Assert.All(names, n => Assert.True(n.Length <= 63, n));
        Assert.Equal(names.Count, names.Distinct().Count()); // _min and _max did not collapse into one name
        Assert.Equal("pk_user", PhysicalNames.PrimaryKey("user"));
        Assert.Equal(63, PhysicalNames.Shorten(new string('x', 80)).Length);
    }

    [Fact]
    public void SqlServer_unique_index_on_a_nullable_column_allows_many_nulls_and_sqlite_ignores_nonkey_identity()
    {
        var sqlServer = DdlGenerator.CreateScript(Awkward(), DbProvider.SqlServer);
        Assert.Contains("CREATE UNIQUE INDEX [ux_user_group] ON [user] ([group]) WHERE [group] IS NOT NULL;", sqlServer);
        Assert.Contains("[counter] bigint NOT NULL IDENTITY", sqlServer);
        Assert.Contains("[select] datetimeoffset NOT NULL DEFAULT '2024-05-06T07:08:09.0000000+02:00'", sqlServer);
        var sqlite = DdlGenerator.CreateScript(Awkward(), DbProvider.Sqlite);
        Assert.DoesNotContain("AUTOINCREMENT", sqlite); // identity that is not the single-column key: a plain column on SQLite
    }

    [Fact]
    public void Sqlite_runs_reserved_and_long_names()
    {
        var path = _temp.Write("awkward.sql", DdlGenerator.CreateScript(Awkward(), DbProvider.Sqlite));
        var db = _temp.Combine("awkward.db");
        var result = ProcessRunner.Run("sqlite3", ["-bail", db, $".read {path}"]);
        Assert.True(result.ExitCode == 0 && result.StdErr.Length == 0, result.ToString());
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"INSERT INTO \"user\" (\"order\", \"{Naming.ToSnakeCase(LongColumn)}\", counter) VALUES (1, 10, 1)";
        var ex = Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
        Assert.Contains("CHECK constraint failed: ck_user_a_very_long_column_name", ex.Message);
    }

    [PostgresFact]
    public void PostgreSql_runs_reserved_and_long_names_and_keeps_the_default_offset()
    {
        var path = _temp.Write("awkward.sql", DdlGenerator.CreateScript(Awkward(), DbProvider.PostgreSql));
        var cs = PostgresServer.Instance.CreateDatabase("edge");
        var result = PostgresServer.Instance.Psql(cs, path);
        Assert.True(result.ExitCode == 0 && !result.StdErr.Contains("ERROR"), result.ToString());
        using var c = new NpgsqlConnection(cs);
        c.Open();
        using (var ok = new NpgsqlCommand($"INSERT INTO \"user\" (\"order\", {Naming.ToSnakeCase(LongColumn)}) VALUES (1, 5) RETURNING \"select\" = '2024-05-06T05:08:09Z'::timestamptz, counter", c))
        using (var r = ok.ExecuteReader())
        {
            Assert.True(r.Read());
            Assert.True(r.GetBoolean(0));
            Assert.Equal(1L, r.GetInt64(1));
        }
        using var bad = new NpgsqlCommand($"INSERT INTO \"user\" (\"order\", {Naming.ToSnakeCase(LongColumn)}) VALUES (2, 10)", c);
        var ex = Assert.Throws<PostgresException>(() => bad.ExecuteNonQuery());
        Assert.Equal("23514", ex.SqlState);
        Assert.EndsWith(Naming.ToSnakeCase(LongColumn)[..10], ex.ConstraintName![..("ck_user_".Length + 10)]);
        Assert.True(ex.ConstraintName!.Length <= 63);
        Assert.Contains(ex.ConstraintName, DdlGenerator.CreateScript(Awkward(), DbProvider.PostgreSql));
    }
}
