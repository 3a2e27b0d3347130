using DbOps.Schema.Model;
using DbOps.Sql.Migrations;

namespace DbOps.Migrations.Tests;

/// <summary>Rolling-deploy compatibility: the notes that say a change breaks the release still running, and table rewrites.</summary>
public class BreakingChangeTests
{
    private const string Base = """
        dbops: 1
        name: B
        entities:
          Parent:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Name: string(20)
              Qty: int32
              Note: string(50)?
              Old: { type: string(10)?, deprecated: true }
          Child:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              ParentId: int64
        """;

    public static TheoryData<string, string, string[]> Cases() => new()
    {
        // find, replace, the breaking codes expected (exactly)
        { "      Note: string(50)?\n", "", ["DBOPS3011", "DBOPS3014"] },                                    // drop a column nobody deprecated
        { "      Old: { type: string(10)?, deprecated: true }\n", "", ["DBOPS3011"] },                     // drop a deprecated column
        { "Note: string(50)?", "Remark: { type: string(50)?, renamedFrom: Note }", ["DBOPS3011"] },      // rename a column
        { "  Child:\n", "  Kid:\n    renamedFrom: Child\n", ["DBOPS3011"] },                             // rename a table
        { "  Child:\n    columns:\n      Id: { type: int64, primaryKey: true, identity: true }\n      ParentId: int64", "", ["DBOPS3011", "DBOPS3014"] }, // drop a table
        { "Note: string(50)?", "Note: string(50)?\n      Code: string(5)", ["DBOPS3012"] },                // NOT NULL without default
        { "Name: string(20)", "Name: string(10)", ["DBOPS3013"] },                                        // narrowed
        { "Qty: int32", "Qty: { type: int32, min: 0 }", ["DBOPS3013"] },                                  // tighter rule
        { "ParentId: int64", "ParentId: int64\n    checks:\n      - sql: parent_id > 0", ["DBOPS3013"] }, // new check
        { "Note: string(50)?", "Note: string(50)", ["DBOPS3013"] },                                      // made NOT NULL
        { "Name: string(20)", "Name: { type: string(20), unique: true }", ["DBOPS3013"] },               // made unique
        // Compatible with the running release.
        { "Note: string(50)?", "Note: string(50)?\n      Extra: int32?", [] },
        { "Note: string(50)?", "Note: string(50)?\n      Flag: { type: bool, default: true }", [] },
        { "Name: string(20)", "Name: string(40)", [] },
        { "Qty: int32", "Qty: { type: int32, max: 10 }\n", ["DBOPS3013"] },
        { "Note: string(50)?", "Note: { type: string(50)?, deprecated: use Name }", [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Changes_that_break_the_running_release_are_noted_with_the_two_step_alternative(string find, string replace, string[] codes)
    {
        Assert.Contains(find, Base);
        var plan = MigrationPlanner.Plan(TestSchemas.Load(Base), TestSchemas.Load(Base.Replace(find, replace)), DbProvider.Sqlite);
        var breaking = plan.Notes.Where(n => DangerCodes.Breaking.Contains(n.Note.Code)).ToList();
        Assert.Equal(codes.Order(), breaking.Select(n => n.Note.Code).Order());
        foreach (var (_, note) in breaking)
        {
            Assert.EndsWith(".", note.Text);
            if (note.Code != DangerCodes.DropWithoutDeprecation) Assert.StartsWith("Breaking for the running release: ", note.Text);
            Assert.Contains(" release", note.Text[40..]); // the two-step alternative names the later release
        }
        Assert.All(plan.Changes, c => Assert.EndsWith(".", c.Description));
    }

    [Fact]
    public void Deprecating_is_a_change_recorded_in_the_migration_header()
    {
        var plan = MigrationPlanner.Plan(TestSchemas.Load(Base), TestSchemas.Load(Base.Replace("Note: string(50)?", "Note: { type: string(50)?, deprecated: \"Use Name.\" }")), DbProvider.Sqlite);
        var change = Assert.Single(plan.Changes);
        Assert.Equal("Deprecated column 'Parent.Note' (Use Name.): it stays in the database and its C# property is [Obsolete].", change.Description);
        Assert.Empty(plan.Commands);
        Assert.Contains("--   Deprecated column 'Parent.Note'", plan.Script("0002_x", false));
    }

    [Fact]
    public void Deprecation_round_trips_through_the_snapshot()
    {
        var schema = TestSchemas.Load(Base.Replace("  Child:\n", "  Child:\n    deprecated: \"Merged into Parent.\"\n"));
        var snapshot = TestSchemas.Load(Schema.Snapshot.SnapshotWriter.Write(schema), path: "Migrations/dbops.snapshot.yaml");
        Assert.Equal("Merged into Parent.", snapshot.FindEntity("Child")!.Deprecated);
        Assert.Equal("", snapshot.FindEntity("Parent")!.FindColumn("Old")!.Deprecated);
        Assert.Null(snapshot.FindEntity("Parent")!.FindColumn("Note")!.Deprecated);
        Assert.True(MigrationPlanner.Plan(snapshot, schema, DbProvider.Sqlite).IsEmpty);
    }

    public static TheoryData<string, string, bool> Rewrites() => new()
    {
        { "Qty: int32", "Qty: int64", true },
        { "Qty: int32", "Qty: 'decimal(12,2)'", true },
        { "Name: string(20)", "Name: string(10)", true },
        { "Name: string(20)", "Name: string(40)", false },
        { "Name: string(20)", "Name: string", false },
        { "Note: string(50)?", "Note: string(50)", false },
    };

    [Theory]
    [MemberData(nameof(Rewrites))]
    public void A_type_change_that_rewrites_the_table_on_postgresql_is_DBOPS3010(string find, string replace, bool rewrites)
    {
        var plan = MigrationPlanner.Plan(TestSchemas.Load(Base, "postgresql"), TestSchemas.Load(Base.Replace(find, replace), "postgresql"), DbProvider.PostgreSql);
        var notes = plan.Notes.Where(n => n.Note.Code == DangerCodes.TableRewrite).ToList();
        Assert.Equal(rewrites, notes.Count == 1);
        if (rewrites) Assert.Equal("parent", notes[0].Note.Table);
        Assert.DoesNotContain(MigrationPlanner.Plan(TestSchemas.Load(Base), TestSchemas.Load(Base.Replace(find, replace)), DbProvider.Sqlite).Notes,
            n => n.Note.Code == DangerCodes.TableRewrite);
    }

    [Fact]
    public void Rule_changes_list_only_what_changed_as_a_sentence()
    {
        var v1 = TestSchemas.Load(Base.Replace("Qty: int32", "Qty: { type: int32, max: 100 }"));
        var v2 = TestSchemas.Load(Base.Replace("Qty: int32", "Qty: { type: int32, min: 0, max: 100 }"));
        var change = Assert.Single(MigrationPlanner.Plan(v1, v2, DbProvider.Sqlite).Changes);
        Assert.Equal("Changed the rules of column 'Parent.Qty': min: none → 0.", change.Description);
        Assert.Equal("Existing values of 'Parent.Qty' may break the tighter rule.", change.Danger!.Reason);
    }
}
