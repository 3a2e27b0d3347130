using DbOps.Schema.Model;
using DbOps.Sql.Migrations;
using DbOps.Testing;

namespace DbOps.Migrations.Tests;

public class PlannerTests
{
    private const string V1 = """
        dbops: 1
        name: P
        entities:
          Parent:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Name: string(20)
          Child:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              ParentId: { type: int64, references: Parent, onDelete: cascade }
              Note: string(10)?
            indexes:
              - columns: [ParentId]
        """;

    private static SchemaModel S(string yaml, DbProvider p) => TestSchemas.Load(yaml, p.ToString().ToLowerInvariant());

    private static TestDb Seeded(DbProvider provider, SchemaModel v1)
    {
        var db = TestDb.Create(provider);
        db.Apply(MigrationPlanner.Plan(null, v1, provider).Script("0001_initial", false));
        db.Execute("INSERT INTO parent (name) VALUES ('ann'), ('bob')");
        db.Execute("INSERT INTO child (parent_id, note) VALUES (1, 'a1'), (1, 'a2'), (2, 'b1')");
        return db;
    }

    public static TheoryData<DbProvider> Providers => new() { DbProvider.Sqlite, DbProvider.PostgreSql };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Declared_renames_of_table_and_column_keep_the_data(DbProvider provider)
    {
        if (provider == DbProvider.PostgreSql && PostgresServer.FindBinDir() is null) return;
        var v1 = S(V1, provider);
        using var db = Seeded(provider, v1);
        var v2 = S("""
            dbops: 1
            name: P
            entities:
              Parent:
                columns:
                  Id: { type: int64, primaryKey: true, identity: true }
                  Title: { type: string(20), renamedFrom: Name }
              Kid:
                renamedFrom: Child
                columns:
                  Id: { type: int64, primaryKey: true, identity: true }
                  ParentId: { type: int64, references: Parent, onDelete: cascade }
                  Remark: { type: string(10)?, renamedFrom: Note }
                indexes:
                  - columns: [ParentId]
            """, provider);
        var plan = MigrationPlanner.Plan(v1, v2, provider);
        Assert.Equal(["RenameColumn", "RenameTable", "RenameColumn", "RenameIndex"], plan.Changes.Select(c => c.Kind).ToArray());
        Assert.Contains(plan.Changes, c => c.Description == "Renamed column 'Parent.Name' to 'Parent.Title' (name → title)." && c.Location.Line == 7);
        Assert.Contains(plan.Changes, c => c.Description == "Renamed table 'Child' to 'Kid' (child → kid).");
        Assert.Empty(plan.Dangerous);
        var script = plan.Script("0002_renames", false);
        Assert.DoesNotContain("DROP COLUMN", script);
        db.Apply(script);
        Assert.Equal(["ann", "bob"], db.Rows("SELECT title FROM parent ORDER BY id").Select(r => (string)r[0]!));
        Assert.Equal(["a1", "a2", "b1"], db.Rows("SELECT remark FROM kid ORDER BY id").Select(r => (string)r[0]!));
        Assert.Empty(LiveCompare(db, v2));

        // Once migrated, renamedFrom is ignored: the same schema against its own snapshot is no change.
        Assert.True(MigrationPlanner.Plan(TestSchemas.Load(Schema.Snapshot.SnapshotWriter.Write(v2)), v2, provider).IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Undeclared_rename_is_a_drop_and_an_add(DbProvider provider)
    {
        if (provider == DbProvider.PostgreSql && PostgresServer.FindBinDir() is null) return;
        var v1 = S(V1, provider);
        using var db = Seeded(provider, v1);
        var v2 = S(V1.Replace("Note: string(10)?", "Remark: string(10)?").Replace("Child:", "Kid:"), provider);
        var plan = MigrationPlanner.Plan(v1, v2, provider);
        Assert.Contains(plan.Changes, c => c.Kind == "DropTable" && c.Danger!.Code == "DBOPS3001");
        Assert.Contains(plan.Changes, c => c.Kind == "AddTable" && c.Description.StartsWith("Added table 'Kid' (kid)"));
        var script = plan.Script("0002_x", true);
        Assert.DoesNotContain("RENAME", script);
        Assert.Contains("-- dbops:allowed-data-loss DBOPS3001 Dropped table 'Child' (child).", script);
        db.Apply(script);
        Assert.Equal(0L, Convert.ToInt64(db.Scalar("SELECT COUNT(*) FROM kid")));
        Assert.Empty(LiveCompare(db, v2));

        var v3 = S(V1.Replace("Note: string(10)?", "Remark: string(10)?"), provider);
        var columnPlan = MigrationPlanner.Plan(v1, v3, provider);
        Assert.Equal(["AddColumn", "DropColumn"], columnPlan.Changes.Select(c => c.Kind).ToArray());
        Assert.Equal("DBOPS3002", columnPlan.Changes[1].Danger!.Code);
        Assert.DoesNotContain("RENAME COLUMN", columnPlan.Script("0002_x", true));
    }

    internal static IReadOnlyList<string> LiveCompare(TestDb db, SchemaModel expected) =>
        Sql.LiveSchema.LiveSchemaComparer.Compare(Sql.LiveSchema.LiveSchemaReader.Read(db.Connection, db.Provider), expected, db.Provider);
}
