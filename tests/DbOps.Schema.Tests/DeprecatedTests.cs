using static DbOps.Schema.Tests.TestUtil;

namespace DbOps.Schema.Tests;

/// <summary><c>deprecated:</c> on a column or an entity: true, false or the reason.</summary>
public class DeprecatedTests
{
    [Fact]
    public void Deprecated_takes_true_false_or_a_reason()
    {
        var r = Load("""
            dbops: 1
            entities:
              Customer:
                deprecated: Merged into Account.
                columns:
                  Id: { type: int64, primaryKey: true }
                  Fax: { type: string?, deprecated: true }
                  Phone: { type: string?, deprecated: false }
            """);
        Assert.Empty(r.Diagnostics);
        var e = r.Model!.FindEntity("Customer")!;
        Assert.Equal("Merged into Account.", e.Deprecated);
        Assert.Equal("", e.FindColumn("Fax")!.Deprecated);
        Assert.Null(e.FindColumn("Phone")!.Deprecated);
        Assert.Null(e.FindColumn("Id")!.Deprecated);
    }

    [Fact]
    public void Deprecated_that_is_not_a_scalar_is_DBOPS1026()
    {
        var r = Load("""
            dbops: 1
            entities:
              Customer:
                columns:
                  Id: { type: int64, primaryKey: true }
                  Fax: { type: string?, deprecated: [x] }
            """);
        ExpectOnly(r, "DBOPS1026", 6, 41);
    }
}
