using DbOps.Schema.Model;
using static DbOps.Schema.Tests.TestUtil;

namespace DbOps.Schema.Tests;

public class EdgeCaseTests
{
    private static SchemaModel Valid(string yaml)
    {
        var r = Load(yaml);
        Assert.True(!r.HasErrors, Dump(r));
        return r.Model!;
    }

    [Fact]
    public void QuestionMarkWorksInsideFlowMappings()
    {
        var m = Valid("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: { type: int32, primaryKey: true }
                  Phone: { type: string(40)?, unique: true }
                  Amount: decimal
                  Whole: decimal(10)
                  Ratio: 'decimal(5, 4)?'
            """);
        var a = m.Entities[0];
        Assert.True(a.Column("Phone").Nullable);
        Assert.True(a.Column("Phone").Unique);
        Assert.Equal("string(40)", a.Column("Phone").Type.ToString());
        Assert.Equal("decimal(18,2)", a.Column("Amount").Type.ToString());
        Assert.Equal("decimal(10,0)", a.Column("Whole").Type.ToString());
        Assert.Equal("decimal(5,4)", a.Column("Ratio").Type.ToString());
        Assert.True(a.Column("Ratio").Nullable);
    }

    [Fact]
    public void CrLfAndBomKeepPositions()
    {
        var yaml = "\uFEFFdbops: 1\r\nentities:\r\n  A:\r\n    columns:\r\n      Id: { type: int32, primaryKey: true }\r\n      B: nope\r\n";
        ExpectOnly(Load(yaml), "DBOPS1010", 6, 10);
    }

    [Fact]
    public void QueryParameterNames()
    {
        var r = Load("""
            dbops: 1
            queries:
              Q:
                sql: SELECT @cancellationToken, @await, @ok
                params: { cancellationToken: int32, await: int32, ok: int32, 2x: int32 }
            """);
        AssertErrorCount(r, 3);
        Expect(r, "DBOPS1009", 5, 15);
        Expect(r, "DBOPS1008", 5, 41);
        Expect(r, "DBOPS1007", 5, 66);
    }

    [Fact]
    public void Namespaces()
    {
        ExpectOnly(Load("dbops: 1\nnamespace: Shop..Data\n"), "DBOPS1007", 2, 12);
        ExpectOnly(Load("dbops: 1\nnamespace: Shop.class\n"), "DBOPS1008", 2, 12);
        Assert.Equal("Shop.Data", Valid("dbops: 1\nnamespace: Shop.Data\n").Namespace);
    }

    [Fact]
    public void ComplexKeysAndUnknownAliases()
    {
        ExpectOnly(Load("dbops: 1\n? [a, b]\n: 1\n"), "DBOPS1026", 2, 3);
        ExpectOnly(Load("dbops: 1\nentities: *nothing\n"), "DBOPS1002", 2, 11);
    }

    [Fact]
    public void AnchorsAndAliasesCanBeReused()
    {
        var m = Valid("""
            dbops: 1
            entities:
              A:
                columns:
                  Id: &key { type: int64, primaryKey: true, identity: true }
              B:
                columns:
                  Id: *key
            """);
        Assert.All(m.Entities, e => Assert.True(e.Column("Id").Identity));
    }

    [Fact]
    public void GeneratedNamesAreStableAndFitPostgres()
    {
        var longName = new string('a', 40);
        var m = Valid($$"""
            dbops: 1
            entities:
              {{longName}}:
                columns:
                  Id: { type: int32, primaryKey: true }
                  {{longName}}Column: { type: int32, unique: true }
                checks:
                  - sql: id > 0
            """);
        var e = m.Entities[0];
        var ux = e.Indexes.Single();
        Assert.True(ux.Name.Length <= 63, ux.Name);
        Assert.StartsWith("ux_aaaa", ux.Name);
        Assert.Equal(ux.Name, Valid(m.Entities.Count > 0 ? $$"""
            dbops: 1
            entities:
              {{longName}}:
                columns:
                  Id: { type: int32, primaryKey: true }
                  {{longName}}Column: { type: int32, unique: true }
            """ : "").Entities[0].Indexes.Single().Name);
        Assert.Equal($"ck_{longName}_1", e.Checks.Single().Name);
    }

    [Fact]
    public void VersionMayBeQuoted() => Valid("dbops: '1'\n");

    [Fact]
    public void NamingExactKeepsLogicalNames()
    {
        var m = Valid("""
            dbops: 1
            naming: exact
            entities:
              InvoiceLine:
                columns:
                  Id: { type: int32, primaryKey: true }
                  UnitPrice: { type: int32, column: unit_price_cents }
            """);
        Assert.Equal("InvoiceLine", m.Entities[0].Table);
        Assert.Equal(["Id", "unit_price_cents"], m.Entities[0].Columns.Select(c => c.ColumnName));
        Assert.Equal("InvoiceLines", m.Entities[0].Plural);
    }

    [Fact]
    public void SqlParameterScannerSkipsLiteralsCommentsAndSystemVariables()
    {
        var found = Validation.SqlParameterScanner.Find(
            "SELECT @a, '@b', \"@c\", [x y], `@e`, @@rowcount, x@f, $$ @g $$, $t$ @h $t$ -- @i\n/* @j */ @k_2 FROM t WHERE s = 'it''s @l' AND y @> z");
        Assert.Equal(["a", "k_2"], found.Select(f => f.Name));
        // Brackets holding '@' are PostgreSQL array subscripts, not SQL Server quoted names.
        Assert.Equal(["i"], Validation.SqlParameterScanner.Find("SELECT arr[@i] FROM t").Select(f => f.Name));
    }

    [Fact]
    public void MessagesQuoteUserTextSafely()
    {
        var r = Load("dbops: 1\nentities:\n  \"A\\tB\\u0001\":\n    columns: {}\n");
        Assert.All(r.Diagnostics, d => Assert.DoesNotContain('\u0001', d.ToCanonicalString()));
        Expect(r, "DBOPS1007", 3, 3);
    }
}
