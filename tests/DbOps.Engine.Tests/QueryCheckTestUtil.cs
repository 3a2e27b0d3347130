using DbOps.Engine.QueryCheck;
using DbOps.Schema;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;

namespace DbOps.Engine.Tests;

internal static class QueryCheckTestUtil
{
    /// <summary>The SPEC §1 entities (Customer, Order) with <paramref name="queries"/> as the queries: block (indented by 2).</summary>
    public static string Shop(string queries, string provider = "sqlite", string naming = "snake_case", string extraOrderKeys = "") => $$"""
        dbops: 1
        name: ShopDb
        provider: {{provider}}
        naming: {{naming}}
        enums:
          OrderStatus: [Pending, Paid, Shipped, Cancelled]
        entities:
          Customer:
            table: customers
            columns:
              Id:        { type: int64, primaryKey: true, identity: true }
              Email:     { type: string(320), unique: true }
              Name:      string(200)
              Phone:     string(40)?
              CreatedAt: { type: datetimeoffset, defaultSql: CURRENT_TIMESTAMP }
          Order:
            table: orders
            columns:
              Id:         { type: guid, primaryKey: true }
              CustomerId: { type: int64, references: Customer, onDelete: cascade }
              Status:     { type: OrderStatus, default: Pending }
              Total:      { type: 'decimal(12,2)', min: 0 }
              PlacedAt:   datetimeoffset
            indexes:
              - columns: [CustomerId, PlacedAt]{{extraOrderKeys}}
        queries:
          {{Indent(queries)}}
        """;

    private static string Indent(string block) =>
        string.Join("\n", block.Replace("\r\n", "\n").Split('\n').Select((l, i) => i == 0 || l.Length == 0 ? l : "  " + l));

    public static SchemaModel Load(string yaml)
    {
        var r = SchemaLoader.Load([new SchemaSource("dbops.yaml", yaml)]);
        Assert.True(r.Model is not null, "Schema did not load:\n" + string.Join("\n", r.Diagnostics));
        return r.Model!;
    }

    /// <summary>Loads and checks <paramref name="yaml"/>, passing the file text so positions are exact.</summary>
    public static (SchemaModel Model, IReadOnlyList<Diagnostic> Diagnostics) Check(string yaml, bool withSources = true)
    {
        var model = Load(yaml);
        var diagnostics = withSources
            ? SqliteQueryChecker.Check(model, [new SchemaSource("dbops.yaml", yaml)])
            : SqliteQueryChecker.Check(model);
        return (model, diagnostics);
    }

    public static string Dump(IEnumerable<Diagnostic> ds) => string.Join("\n", ds.Select(d => d.ToCanonicalString()));

    /// <summary>1-based (line, column) of the <paramref name="nth"/> occurrence of <paramref name="text"/> in <paramref name="yaml"/>.</summary>
    public static SourceLocation Find(string yaml, string text, int nth = 1)
    {
        var lines = yaml.Replace("\r\n", "\n").Split('\n');
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            for (var j = lines[i].IndexOf(text, StringComparison.Ordinal); j >= 0; j = lines[i].IndexOf(text, j + 1, StringComparison.Ordinal))
                if (++seen == nth) return new SourceLocation("dbops.yaml", i + 1, j + 1);
        }
        throw new InvalidOperationException($"'{text}' not found");
    }

    public static Diagnostic Single(IReadOnlyList<Diagnostic> ds, string code, DiagnosticSeverity severity, SourceLocation at)
    {
        Assert.True(ds.Count == 1, $"Expected exactly {code}; got:\n{Dump(ds)}");
        var d = ds[0];
        Assert.Equal(code, d.Code);
        Assert.Equal(severity, d.Severity);
        Assert.Equal(at, d.Location);
        return d;
    }
}
