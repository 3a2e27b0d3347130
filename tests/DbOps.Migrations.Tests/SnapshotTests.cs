using DbOps.Schema.Model;
using DbOps.Schema.Snapshot;
using DbOps.Sql;

namespace DbOps.Migrations.Tests;

public class SnapshotTests
{
    public static TheoryData<string, DbProvider> Cases()
    {
        var data = new TheoryData<string, DbProvider>();
        foreach (var name in new[] { "spec", "kitchen", "evolved" })
            foreach (var p in new[] { DbProvider.Sqlite, DbProvider.PostgreSql, DbProvider.SqlServer })
                data.Add(name, p);
        return data;
    }

    private static string Yaml(string name) => name switch
    {
        "spec" => TestSchemas.Spec,
        "kitchen" => TestSchemas.KitchenSink,
        _ => """
            dbops: 1
            name: Evolved
            naming: snake_case
            entities:
              InvoiceLine:
                renamedFrom: Line
                columns:
                  Id: { type: guid, primaryKey: true }
                  LongNameThatGoesOnAndOnForeverAndEverUntilX: { type: string(10), unique: true, renamedFrom: Old }
                indexes:
                  - columns: [LongNameThatGoesOnAndOnForeverAndEverUntilX, Id]
            """,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Snapshot_loads_back_into_the_same_schema(string name, DbProvider provider)
    {
        var model = TestSchemas.Load(Yaml(name), provider.ToString().ToLowerInvariant());
        var text = SnapshotWriter.Write(model);
        var back = TestSchemas.Load(text, path: "Migrations/dbops.snapshot.yaml");
        Assert.StartsWith(SnapshotWriter.Header, text);
        Assert.DoesNotContain("renamedFrom", text);
        Assert.DoesNotContain("queries", text);
        Assert.Empty(SchemaComparison.Differences(model, back));
        Assert.Equal(DdlGenerator.CreateScript(model, provider), DdlGenerator.CreateScript(back, provider));
        // Writing the loaded snapshot gives the same bytes (a fixed point).
        Assert.Equal(text, SnapshotWriter.Write(back));
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void Snapshot_of_the_spec_example_reads_one_fact_per_line()
    {
        var text = SnapshotWriter.Write(TestSchemas.Load(TestSchemas.Spec));
        Assert.Contains("""
              Order:
                table: orders
                columns:
                  Id:
                    column: id
                    type: guid
                    nullable: false
                    primaryKey: true
                  CustomerId:
                    column: customer_id
                    type: int64
                    nullable: false
                    references: Customer.Id
                    onDelete: cascade
            """.Replace("\r\n", "\n"), text);
        Assert.Contains("type: 'decimal(12,2)'", text);
        Assert.Contains("naming: exact", text);
        Assert.Contains("- name: ix_orders_customer_id_placed_at", text);
    }
}
