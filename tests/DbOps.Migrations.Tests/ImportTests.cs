using DbOps.Schema;
using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;
using DbOps.Sql.Migrations;
using DbOps.Testing;

namespace DbOps.Migrations.Tests;

/// <summary>
/// SchemaImporter on real databases: a database made by DbOps' own create script imports to a schema that validates and
/// plans no change against it (the live structure equals the imported schema's), and importing that again gives the same text.
/// </summary>
public class ImportTests
{
    public static TheoryData<DbProvider> Providers => new() { DbProvider.Sqlite, DbProvider.PostgreSql };

    internal static SchemaModel LoadImported(ImportResult imported)
    {
        var loaded = SchemaLoader.Load([new SchemaSource("dbops.yaml", imported.Yaml)]);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Diagnostics) + "\n" + imported.Yaml);
        return loaded.Model!;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Database_created_by_DbOps_imports_to_a_schema_that_plans_no_change(DbProvider provider)
    {
        if (provider == DbProvider.PostgreSql && PostgresServer.FindBinDir() is null) return;
        foreach (var yaml in new[] { TestSchemas.Spec, TestSchemas.KitchenSink })
        {
            var original = TestSchemas.Load(yaml, provider.ToString().ToLowerInvariant());
            using var db = TestDb.Create(provider);
            db.Apply(MigrationPlanner.Plan(null, original, provider).Script("0001_initial", false));

            var imported = SchemaImporter.Import(db.Connection, provider, "ImportedDb");
            var schema = LoadImported(imported);
            Assert.Equal(original.Entities.Select(e => e.Table).Order(StringComparer.Ordinal), imported.Tables.Order(StringComparer.Ordinal));
            Assert.Empty(imported.Warnings);
            Assert.Empty(LiveSchemaComparer.Compare(LiveSchemaReader.Read(db.Connection, provider), schema, provider));

            // The imported schema's own create script builds the same database again.
            using var again = TestDb.Create(provider);
            again.Apply(MigrationPlanner.Plan(null, schema, provider).Script("0001_baseline", false));
            var reimported = SchemaImporter.Import(again.Connection, provider, "ImportedDb");
            Assert.Equal(imported.Yaml, reimported.Yaml);
            Assert.Empty(LiveSchemaComparer.Compare(LiveSchemaReader.Read(again.Connection, provider), original, provider));
        }
    }
}
