using DbOps.Schema.Model;
using DbOps.Sql.Migrations;
using DbOps.Testing;

namespace DbOps.Migrations.Tests;

public class DangerTests
{
    private const string Base = """
        dbops: 1
        name: D
        entities:
          Parent:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Name: string(20)
              Price: decimal(10,2)
              Qty: int64
              Note: string(50)?
          Child:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              ParentId: int64
        """;

    private static SchemaModel S(string yaml, DbProvider p) => TestSchemas.Load(yaml, p.ToString().ToLowerInvariant());

    public static TheoryData<string, string, string, string?> Cases() => new()
    {
        // provider, find, replace, expected code (null = not dangerous)
        { "sqlite", "  Child:\n    columns:\n      Id: { type: int64, primaryKey: true, identity: true }\n      ParentId: int64", "", "DBOPS3001" },
        { "sqlite", "      Note: string(50)?\n", "", "DBOPS3002" },
        { "sqlite", "Name: string(20)", "Name: string(10)", "DBOPS3003" },
        { "sqlite", "Price: decimal(10,2)", "Price: decimal(10,1)", "DBOPS3003" },
        { "sqlite", "Price: decimal(10,2)", "Price: decimal(9,2)", "DBOPS3003" },
        { "sqlite", "Qty: int64", "Qty: int32", "DBOPS3003" },
        { "sqlite", "Qty: int64", "Qty: string", "DBOPS3003" },
        { "sqlite", "Note: string(50)?", "Note: string(50)?\n      Code: string(5)", "DBOPS3004" },
        { "sqlite", "Note: string(50)?", "Note: string(50)", "DBOPS3004" },
        { "sqlite", "Name: string(20)", "Name: { type: string(20), unique: true }", "DBOPS3005" },
        { "sqlite", "ParentId: int64", "ParentId: int64\n    indexes:\n      - { columns: [ParentId], unique: true }", "DBOPS3005" },
        { "sqlite", "Id: { type: int64, primaryKey: true, identity: true }\n      ParentId: int64", "Id: int64\n      ParentId: { type: int64, primaryKey: true }", "DBOPS3006" },
        { "sqlite", "ParentId: int64", "ParentId: int64\n    checks:\n      - sql: parent_id > 0", "DBOPS3008" },
        { "sqlite", "Qty: int64", "Qty: { type: int64, min: 0 }", "DBOPS3008" },
        { "sqlite", "ParentId: int64", "ParentId: { type: int64, references: Parent }", "DBOPS3009" },
        // Not dangerous.
        { "sqlite", "ParentId: int64", "ParentId: int64\n    indexes:\n      - columns: [ParentId]", null },
        // PostgreSQL builds it CONCURRENTLY now (DBOPS3007 no longer advises it).
        { "postgresql", "ParentId: int64", "ParentId: int64\n    indexes:\n      - columns: [ParentId]", null },
        { "sqlite", "Name: string(20)", "Name: string(200)", null },
        { "postgresql", "Name: string(20)", "Name: string", null },
        { "sqlite", "Price: decimal(10,2)", "Price: decimal(12,3)", null },
        { "sqlite", "Qty: int64", "Qty: decimal(20,0)", null },
        { "sqlite", "Note: string(50)?", "Note: string(50)?\n      Extra: int32?", null },
        { "sqlite", "Note: string(50)?", "Note: string(50)?\n      Flag: { type: bool, default: true }", null },
        { "sqlite", "Note: string(50)?", "Note: string(50)?\n      At: { type: datetime, defaultSql: CURRENT_TIMESTAMP }", null },
        { "postgresql", "Note: string(50)?", "Note: string(50)?\n  Fresh:\n    columns:\n      Id: { type: int32, primaryKey: true }\n      Code: { type: string(5), unique: true }\n    indexes:\n      - columns: [Code, Id]", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dangerous_changes_are_detected_and_safe_ones_are_not(string providerName, string find, string replace, string? code)
    {
        var provider = providerName == "sqlite" ? DbProvider.Sqlite : DbProvider.PostgreSql;
        Assert.Contains(find, Base);
        var v1 = S(Base, provider);
        var v2 = S(Base.Replace(find, replace), provider);
        var plan = MigrationPlanner.Plan(v1, v2, provider);
        Assert.False(plan.IsEmpty);
        var codes = plan.Dangerous.Select(c => c.Danger!.Code).ToList();
        if (code is null)
        {
            Assert.Empty(codes);
            Assert.DoesNotContain("dbops:allowed-data-loss", plan.Script("0002_x", true));
            if (provider == DbProvider.PostgreSql && PostgresServer.FindBinDir() is null) return;
            // Safe changes apply to a table with rows.
            using var db = TestDb.Create(provider);
            db.Apply(MigrationPlanner.Plan(null, v1, provider).Script("0001_initial", false));
            db.Execute("INSERT INTO parent (name, price, qty, note) VALUES ('a', 1.5, 2, NULL), ('b', 2.5, 3, 'x')");
            db.Execute("INSERT INTO child (parent_id) VALUES (1), (2)");
            db.Apply(plan.Script("0002_x", false));
            Assert.Equal(2L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM parent")));
            Assert.Empty(PlannerTests.LiveCompare(db, v2));
        }
        else
        {
            Assert.Contains(code, codes);
            var change = plan.Dangerous.First(c => c.Danger!.Code == code);
            Assert.Contains("-p:DbOpsAllowDataLoss=true", change.Danger!.HowToAllow);
            Assert.True(change.Danger.Blocking);
            var allowed = plan.Script("0002_x", true);
            Assert.Contains($"-- dbops:allowed-data-loss {code} ", allowed);
            Assert.DoesNotContain("dbops:allowed-data-loss", plan.Script("0002_x", false));
        }
    }

    [Fact]
    public void Sqlite_rebuild_keeps_parent_and_child_rows_with_cascading_foreign_keys()
    {
        const string v1Yaml = """
            dbops: 1
            name: R
            entities:
              Parent:
                columns:
                  Id: { type: int64, primaryKey: true, identity: true }
                  Name: string(20)
              Child:
                columns:
                  Id: { type: int64, primaryKey: true, identity: true }
                  ParentId: { type: int64, references: Parent, onDelete: cascade }
                  Label: string(10)?
                indexes:
                  - columns: [ParentId]
              GrandChild:
                columns:
                  Id: { type: int64, primaryKey: true, identity: true }
                  ChildId: { type: int64?, references: Child, onDelete: setNull }
            """;
        var v1 = S(v1Yaml, DbProvider.Sqlite);
        // Narrowing-free changes that SQLite can only make by rebuilding both parent tables.
        var v2 = S(v1Yaml.Replace("Name: string(20)", "Name: string(40)\n      Since: { type: datetimeoffset, defaultSql: CURRENT_TIMESTAMP }")
            .Replace("Label: string(10)?", "Label: string(30)?"), DbProvider.Sqlite);
        using var db = TestDb.Create(DbProvider.Sqlite);
        db.Apply(MigrationPlanner.Plan(null, v1, DbProvider.Sqlite).Script("0001_initial", false));
        db.Execute("INSERT INTO parent (name) VALUES ('p1'), ('p2')");
        db.Execute("INSERT INTO child (parent_id, label) VALUES (1, 'c1'), (1, 'c2'), (2, 'c3')");
        db.Execute("INSERT INTO grand_child (child_id) VALUES (1), (2), (3)");
        var script = MigrationPlanner.Plan(v1, v2, DbProvider.Sqlite).Script("0002_rebuild", false);
        Assert.Contains("DROP TABLE \"parent\"", script);
        Assert.Contains("DROP TABLE \"child\"", script);
        Assert.Matches("(?s)^.*-- dbops:no-transaction\nPRAGMA foreign_keys = 0;.*-- dbops:transaction\n.*pragma_foreign_key_check.*-- dbops:no-transaction\nPRAGMA foreign_keys = 1;\n$", script);
        db.Apply(script);
        Assert.Equal(2L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM parent")));
        Assert.Equal(3L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM child")));
        Assert.Equal([1L, 2L, 3L], db.Rows("SELECT child_id FROM grand_child ORDER BY id").Select(r => Convert.ToInt64(r[0])));
        Assert.Equal(2L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM parent WHERE since IS NOT NULL")));
        Assert.Equal(1L, Convert.ToInt64(db.Scalar("PRAGMA foreign_keys")));
        Assert.Empty(PlannerTests.LiveCompare(db, v2));
        // Cascades still work after the rebuild.
        db.Execute("DELETE FROM parent WHERE id = 1");
        Assert.Equal(1L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM child")));

        // Without the foreign_keys sections the same rebuild loses rows (the trap this layout avoids).
        using var naive = TestDb.Create(DbProvider.Sqlite);
        naive.Apply(MigrationPlanner.Plan(null, v1, DbProvider.Sqlite).Script("0001_initial", false));
        naive.Execute("INSERT INTO parent (name) VALUES ('p1'), ('p2')");
        naive.Execute("INSERT INTO child (parent_id, label) VALUES (1, 'c1'), (1, 'c2'), (2, 'c3')");
        var body = string.Concat(MigrationScript.Split(script).Where(p => p.InTransaction).Select(p => p.Sql));
        using (var tx = naive.Connection.BeginTransaction())
        {
            using var cmd = naive.Connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = body.Replace("INSERT INTO \"dbops_fk_check\"", "-- ");
            try { cmd.ExecuteNonQuery(); tx.Commit(); } catch (Microsoft.Data.Sqlite.SqliteException) { tx.Rollback(); }
        }
        Assert.NotEqual(3L, Convert.ToInt64(naive.Scalar("SELECT COUNT(*) FROM child")));
    }

    [Fact]
    public void Split_reads_markers_and_go_batches()
    {
        var pieces = MigrationScript.Split("-- header\nCREATE TABLE a (x int);\n-- dbops:no-transaction\nPRAGMA foreign_keys = 0;\n  -- dbops:transaction  \nA;\nGO\nB;\ngo\n-- only a comment\n");
        Assert.Equal([("-- header\nCREATE TABLE a (x int);\n", true), ("PRAGMA foreign_keys = 0;\n", false), ("A;\n", true), ("B;\n", true)], pieces);
    }
}
