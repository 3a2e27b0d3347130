using DbOps.Schema;
using DbOps.Schema.Model;
using DbOps.Sql.LiveSchema;
using DbOps.Sql.Migrations;
using DbOps.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding.Metadata;

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

/// <summary>
/// SQL Server: no server here, so the importer is tested on the scaffolding model a SQL Server database made by DbOps'
/// own create script gives (built from DbOps' EF model, as EF Core's SqlServerDatabaseModelFactory reads it), and the
/// factory wiring by a connection that fails with SQL Server's own error.
/// </summary>
public class SqlServerImportTests
{
    /// <summary>The scaffolding model EF Core's SQL Server factory reads from a database created by <paramref name="schema"/>'s script.</summary>
    private static DatabaseModel AsScaffolded(SchemaModel schema)
    {
        var model = DbOps.Sql.DbModelFactory.Build(schema, DbProvider.SqlServer).GetRelationalModel();
        var db = new DatabaseModel { DefaultSchema = "dbo" };
        var tables = new Dictionary<string, DatabaseTable>();
        foreach (var t in model.Tables)
        {
            var table = new DatabaseTable { Database = db, Name = t.Name, Schema = "dbo" };
            foreach (var c in t.Columns.OrderBy(c => c.Order ?? 0))
            {
                var column = new DatabaseColumn
                {
                    Table = table, Name = c.Name, StoreType = c.StoreType, IsNullable = c.IsNullable,
                    DefaultValueSql = c.DefaultValueSql ?? (c.DefaultValue is null ? null : LiteralSql(c.DefaultValue)),
                };
                if (c.PropertyMappings.Any(m => m.Property.ValueGenerated == ValueGenerated.OnAdd))
                    column.ValueGenerated = ValueGenerated.OnAdd;
                table.Columns.Add(column);
            }
            DatabaseColumn Col(string name) => table.Columns.Single(c => c.Name == name);
            table.PrimaryKey = new DatabasePrimaryKey { Table = table, Name = t.PrimaryKey!.Name };
            foreach (var c in t.PrimaryKey.Columns) table.PrimaryKey.Columns.Add(Col(c.Name));
            foreach (var u in t.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()))
            {
                var uc = new DatabaseUniqueConstraint { Table = table, Name = u.Name };
                foreach (var c in u.Columns) uc.Columns.Add(Col(c.Name));
                table.UniqueConstraints.Add(uc);
            }
            foreach (var i in t.Indexes)
            {
                var ix = new DatabaseIndex { Table = table, Name = i.Name, IsUnique = i.IsUnique, Filter = i.Filter };
                foreach (var c in i.Columns) ix.Columns.Add(Col(c.Name));
                table.Indexes.Add(ix);
            }
            tables[t.Name] = table;
            db.Tables.Add(table);
        }
        foreach (var t in model.Tables)
            foreach (var f in t.ForeignKeyConstraints)
            {
                var table = tables[t.Name];
                var principal = tables[f.PrincipalTable.Name];
                var fk = new DatabaseForeignKey { Table = table, Name = f.Name, PrincipalTable = principal, OnDelete = f.OnDeleteAction };
                foreach (var c in f.Columns) fk.Columns.Add(table.Columns.Single(x => x.Name == c.Name));
                foreach (var c in f.PrincipalColumns) fk.PrincipalColumns.Add(principal.Columns.Single(x => x.Name == c.Name));
                table.ForeignKeys.Add(fk);
            }
        return db;
    }

    private static string LiteralSql(object value) => value switch
    {
        string s => "(N'" + s.Replace("'", "''") + "')",
        bool b => b ? "((1))" : "((0))",
        IFormattable f => "((" + f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) + "))",
        _ => "('" + value + "')",
    };

    [Theory]
    [InlineData("nvarchar(200)", "string(200)")]
    [InlineData("nvarchar(max)", "string")]
    [InlineData("decimal(12,2)", "decimal(12,2)")]
    [InlineData("datetime2", "datetime")]
    [InlineData("datetimeoffset", "datetimeoffset")]
    [InlineData("uniqueidentifier", "guid")]
    [InlineData("bit", "bool")]
    [InlineData("int", "int32")]
    [InlineData("varbinary(16)", "binary(16)")]
    [InlineData("real", "float32")]
    [InlineData("float", "float64")]
    public void Sql_server_types_map_to_dbops_types(string storeType, string dbopsType) =>
        Assert.Equal(dbopsType, SchemaImporter.MapType(storeType, DbProvider.SqlServer)?.ToString());

    [Theory]
    [InlineData("xml")]
    [InlineData("money")]
    [InlineData("geography")]
    [InlineData("sql_variant")]
    public void Sql_server_types_without_a_dbops_type_are_left_out(string storeType) =>
        Assert.Null(SchemaImporter.MapType(storeType, DbProvider.SqlServer));

    [Fact]
    public void A_database_created_by_DbOps_imports_to_a_schema_that_plans_no_change()
    {
        foreach (var yaml in new[] { TestSchemas.Spec, TestSchemas.KitchenSink })
        {
            var original = TestSchemas.Load(yaml, "sqlserver");
            var live = AsScaffolded(original);
            var imported = SchemaImporter.Import(live, [], new Dictionary<string, string>(), [new LiveObject("trigger", "audit")], DbProvider.SqlServer, "ImportedDb");
            Assert.Equal([new ImportWarning(ImportProblem.UnsupportedObject, "trigger audit", "triggers are not part of the schema language")], imported.Warnings);
            var schema = ImportTests.LoadImported(imported);
            Assert.Contains("provider: sqlserver\n", imported.Yaml);
            Assert.Empty(LiveSchemaComparer.Compare(live, schema, DbProvider.SqlServer));
            Assert.Empty(LiveSchemaComparer.Compare(AsScaffolded(schema), original, DbProvider.SqlServer));
        }
    }

    [Fact]
    public void The_reader_uses_the_sql_server_factory()
    {
        using var connection = new Microsoft.Data.SqlClient.SqlConnection("Server=127.0.0.1,1;User Id=sa;Password=x;Connect Timeout=1;Encrypt=false");
        // The SQL Server factory opens the connection and fails with SqlClient's error, not "not supported".
        Assert.Throws<Microsoft.Data.SqlClient.SqlException>(() => LiveSchemaReader.Read(connection, DbProvider.SqlServer));
    }
}
