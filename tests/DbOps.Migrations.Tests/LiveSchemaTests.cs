using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;
using DbOps.Sql.Migrations;
using DbOps.Testing;

namespace DbOps.Migrations.Tests;

public class LiveSchemaTests
{
    public static TheoryData<DbProvider> Providers => new() { DbProvider.Sqlite, DbProvider.PostgreSql };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Created_schemas_read_back_equal_and_tampering_is_reported(DbProvider provider)
    {
        if (provider == DbProvider.PostgreSql && PostgresServer.FindBinDir() is null) return;
        foreach (var yaml in new[] { TestSchemas.Spec, TestSchemas.KitchenSink })
        {
            var schema = TestSchemas.Load(yaml, provider.ToString().ToLowerInvariant());
            using var db = TestDb.Create(provider);
            Assert.NotEmpty(LiveSchemaComparer.Compare(LiveSchemaReader.Read(db.Connection, provider), schema, provider));
            db.Apply(MigrationPlanner.Plan(null, schema, provider).Script("0001_initial", false));
            Assert.Empty(LiveSchemaComparer.Compare(LiveSchemaReader.Read(db.Connection, provider), schema, provider));
        }

        var spec = TestSchemas.Load(TestSchemas.Spec, provider.ToString().ToLowerInvariant());
        using var t = TestDb.Create(provider);
        t.Apply(MigrationPlanner.Plan(null, spec, provider).Script("0001_initial", false));
        t.Execute("DROP INDEX ix_customers_name");
        t.Execute("CREATE TABLE extra (id INTEGER PRIMARY KEY)");
        var diff = LiveSchemaComparer.Compare(LiveSchemaReader.Read(t.Connection, provider), spec, provider);
        Assert.Contains("indexes of customers: ix_customers_name(name) is missing", diff);
        Assert.Contains("table extra is not in the schema", diff);
    }

    [Theory]
    [InlineData("character varying(40)", "varchar(40)")]
    [InlineData("timestamp with time zone", "timestamptz")]
    [InlineData("numeric(12, 2)", "numeric(12,2)")]
    public void Postgres_type_names_are_normalized(string live, string expected) =>
        Assert.Equal(expected, LiveSchemaComparer.NormalizeType(live, DbProvider.PostgreSql));
}
