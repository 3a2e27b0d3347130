using DbOps.Schema.Model;
using static DbOps.Schema.Tests.TestUtil;

namespace DbOps.Schema.Tests;

public class MergeTests
{
    private const string Main = """
        dbops: 1
        name: ShopDb
        provider: postgresql
        enums:
          OrderStatus: [Pending, Paid]
        entities:
          Customer:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
        """;

    private const string Orders = """
        dbops: 1
        entities:
          Order:
            columns:
              Id: { type: guid, primaryKey: true }
              CustomerId: { type: int64, references: Customer }
              Status: { type: OrderStatus, default: Paid }
            indexes:
              - columns: [CustomerId]
        queries:
          CountOrders:
            sql: SELECT count(*) FROM "order"
            returns: int64
        """;

    [Fact]
    public void TwoFilesMergeIntoOneSchema()
    {
        var r = SchemaLoader.Load([new SchemaSource("dbops.yaml", Main), new SchemaSource("sales/orders.dbops.yaml", Orders)]);
        Assert.True(r.Diagnostics.Count == 0, Dump(r));
        var m = r.Model!;
        Assert.Equal("ShopDb", m.Name);
        Assert.Equal(DbProvider.PostgreSql, m.Provider);
        Assert.Equal(["Customer", "Order"], m.Entities.Select(e => e.Name));
        var order = m.FindEntity("Order")!;
        Assert.Equal("Customer", order.Column("CustomerId").References!.Entity);
        Assert.Equal("Paid", order.Column("Status").Default);
        Assert.Equal(new SourceLocation("sales/orders.dbops.yaml", 3, 3), order.Location);
        Assert.Equal("CountOrders", Assert.Single(m.Queries).Name);
    }

    [Fact]
    public void FileOrderIsKept()
    {
        var r = SchemaLoader.Load([new SchemaSource("b.dbops.yaml", Orders), new SchemaSource("dbops.yaml", Main)]);
        Assert.False(r.HasErrors, Dump(r));
        Assert.Equal(["Order", "Customer"], r.Model!.Entities.Select(e => e.Name));
    }

    [Fact]
    public void SameEntityInTwoFilesIsAConflict()
    {
        var other = """
            dbops: 1
            entities:
              Customer:
                columns:
                  Id: { type: int64, primaryKey: true }
            """;
        var r = SchemaLoader.Load([new SchemaSource("dbops.yaml", Main), new SchemaSource("x.dbops.yaml", other)]);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal("DBOPS1029", d.Code);
        Assert.Equal(new SourceLocation("x.dbops.yaml", 3, 3), d.Location);
        Assert.Contains("dbops.yaml(7,3)", d.Message);
        Assert.Null(r.Model);
    }

    [Fact]
    public void DifferentSettingsAreConflictsButEqualOnesAreNot()
    {
        var other = """
            dbops: 1
            name: ShopDb
            provider: sqlserver
            naming: exact
            """;
        var r = SchemaLoader.Load([new SchemaSource("dbops.yaml", Main), new SchemaSource("x.dbops.yaml", other)]);
        AssertCount(r, 1);
        Expect(r, "DBOPS1029", 3, 11);
        Assert.Equal("x.dbops.yaml", r.Diagnostics[0].Location.File);
    }

    [Fact]
    public void CaseInsensitiveCollisionAcrossFiles()
    {
        var other = """
            dbops: 1
            enums:
              CUSTOMER: [A]
            """;
        var r = SchemaLoader.Load([new SchemaSource("dbops.yaml", Main), new SchemaSource("x.dbops.yaml", other)]);
        var d = Assert.Single(r.Diagnostics);
        Assert.Equal("DBOPS1009", d.Code);
        // Enums are checked before entities: the entity in the first file is the one that collides.
        Assert.Equal(new SourceLocation("dbops.yaml", 7, 3), d.Location);
    }

    [Fact]
    public void EveryFileNeedsItsVersionAndErrorsNameTheirFile()
    {
        var r = SchemaLoader.Load([
            new SchemaSource("dbops.yaml", Main),
            new SchemaSource("empty.dbops.yaml", ""),
            new SchemaSource("noversion.dbops.yaml", "enums:\n  Color: [Red]\n"),
        ]);
        AssertCount(r, 2);
        Assert.Equal(new SourceLocation("empty.dbops.yaml", 1, 1), r.Diagnostics[0].Location);
        Assert.Equal(new SourceLocation("noversion.dbops.yaml", 1, 1), r.Diagnostics[1].Location);
        Assert.All(r.Diagnostics, d => Assert.Equal("DBOPS1001", d.Code));
    }

    [Fact]
    public void NoFilesAtAll()
    {
        var r = SchemaLoader.Load([]);
        Assert.Equal("DBOPS1001", Assert.Single(r.Diagnostics).Code);
        Assert.Null(r.Model);
    }

    [Fact]
    public void DiagnosticsAreOrderedByFileThenPosition()
    {
        var a = "dbops: 1\nentities:\n  A:\n    columns:\n      Id: { type: int32, primaryKey: true }\n      B: nope\n      C: nada\n";
        var b = "dbops: 1\nfoo: 1\n";
        var r = SchemaLoader.Load([new SchemaSource("b.dbops.yaml", b), new SchemaSource("a.dbops.yaml", a)], "bad");
        Assert.Equal(["", "b.dbops.yaml", "a.dbops.yaml", "a.dbops.yaml"], r.Diagnostics.Select(d => d.Location.File));
        Assert.Equal(["DBOPS1033", "DBOPS1005", "DBOPS1010", "DBOPS1010"], r.Diagnostics.Select(d => d.Code));
    }
}
