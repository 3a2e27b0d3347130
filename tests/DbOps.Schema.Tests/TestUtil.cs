using DbOps.Schema.Diagnostics;

namespace DbOps.Schema.Tests;

internal static class TestUtil
{
    public static SchemaLoadResult Load(string yaml, string path = "dbops.yaml", string? provider = null) =>
        SchemaLoader.Load([new SchemaSource(path, yaml)], provider);

    public static string Dump(SchemaLoadResult r) => string.Join("\n", r.Diagnostics.Select(d => d.ToCanonicalString()));

    /// <summary>Asserts that the load reports <paramref name="code"/> at (line, col) and returns that diagnostic.</summary>
    public static Diagnostic Expect(SchemaLoadResult r, string code, int line, int column)
    {
        var match = r.Diagnostics.FirstOrDefault(d => d.Code == code && d.Location.Line == line && d.Location.Column == column);
        Assert.True(match is not null, $"Expected {code} at ({line},{column}); got:\n{Dump(r)}");
        return match!;
    }

    /// <summary>Asserts exactly one error: <paramref name="code"/> at (line, col).</summary>
    public static Diagnostic ExpectOnly(SchemaLoadResult r, string code, int line, int column)
    {
        var errors = r.Diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 1, $"Expected exactly one error {code} at ({line},{column}); got:\n{Dump(r)}");
        var d = Expect(r, code, line, column);
        Assert.True(r.HasErrors);
        Assert.Null(r.Model);
        return d;
    }

    public static void AssertCount(SchemaLoadResult r, int expected) =>
        Assert.True(r.Diagnostics.Count == expected, $"Expected {expected} diagnostics; got:\n{Dump(r)}");

    public static void AssertErrorCount(SchemaLoadResult r, int expected) =>
        Assert.True(r.Diagnostics.Count(d => d.IsError) == expected, $"Expected {expected} errors; got:\n{Dump(r)}");
}
