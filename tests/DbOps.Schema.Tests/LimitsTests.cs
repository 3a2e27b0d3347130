using System.Text;
using static DbOps.Schema.Tests.TestUtil;

namespace DbOps.Schema.Tests;

/// <summary>Big inputs just under the size limit, valid or full of errors, load whole; one just over is refused before parsing.</summary>
public class LimitsTests
{
    private static string ManyEntities(int count, bool broken)
    {
        var sb = new StringBuilder("dbops: 1\nentities:\n");
        for (var i = 0; i < count; i++)
        {
            sb.Append("  Entity").Append(i).Append(":\n    columns:\n      Id: { type: int64, primaryKey: true }\n");
            if (i > 0)
            {
                sb.Append("      ParentId: { type: int64?, references: ").Append(broken ? "Entty" : "Entity").Append(i - 1).Append(" }\n");
                sb.Append("    indexes:\n      - columns: [ParentId]\n");
            }
            if (broken) sb.Append("    colums: 1\n");
        }
        return sb.ToString();
    }

    [Fact]
    public void LargeValidSchemaLoadsWhole()
    {
        var text = ManyEntities(20_000, broken: false);
        Assert.InRange(Encoding.UTF8.GetByteCount(text), 2_000_000, SchemaLoader.MaxFileBytes);
        var r = Load(text);
        Assert.True(r.Diagnostics.Count == 0, Dump(r).Split('\n')[0]);
        Assert.Equal(20_000, r.Model!.Entities.Count);
    }

    [Fact]
    public void LargeSchemaFullOfErrorsReportsThemAll()
    {
        var text = ManyEntities(18_000, broken: true);
        Assert.True(Encoding.UTF8.GetByteCount(text) <= SchemaLoader.MaxFileBytes);
        var r = Load(text);
        Assert.Equal(18_000, r.Diagnostics.Count(d => d.Code == "DBOPS1005"));
        Assert.Equal(17_999, r.Diagnostics.Count(d => d.Code == "DBOPS1003"));
        Assert.Null(r.Model);
    }

    [Fact]
    public void JustOverTheLimitIsRefusedWithoutParsing()
    {
        var text = "dbops: 1\n" + new string('é', SchemaLoader.MaxFileBytes / 2);
        var r = Load(text);
        ExpectOnly(r, "DBOPS1024", 1, 1);
    }
}
