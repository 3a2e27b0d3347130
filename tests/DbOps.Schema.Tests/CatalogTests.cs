using System.Reflection;
using System.Text.RegularExpressions;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;

namespace DbOps.Schema.Tests;

/// <summary>One factory per code, codes in range, and docs/diagnostics.md lists exactly the schema codes.</summary>
public partial class CatalogTests
{
    private static Dictionary<string, (string Method, DiagnosticSeverity Severity)> Codes()
    {
        var result = new Dictionary<string, (string, DiagnosticSeverity)>();
        foreach (var m in typeof(SchemaDiagnostics).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (m.ReturnType != typeof(Diagnostic)) continue;
            var args = m.GetParameters().Select(p => p.ParameterType switch
            {
                var t when t == typeof(string) => (object?)"X",
                var t when t == typeof(SourceLocation) => new SourceLocation("f.yaml", 1, 1),
                var t when t == typeof(int) => 1,
                var t when t == typeof(long) => 1L,
                var t when t == typeof(FormatVersionProblem) => FormatVersionProblem.Missing,
                _ => p.HasDefaultValue ? p.DefaultValue : null,
            }).ToArray();
            var d = (Diagnostic)m.Invoke(null, args)!;
            Assert.False(result.ContainsKey(d.Code), $"{d.Code} is created by both {result.GetValueOrDefault(d.Code).Item1} and {m.Name}");
            result[d.Code] = (m.Name, d.Severity);
        }
        return result;
    }

    [GeneratedRegex(@"^\| (DBOPS1\d{3}) \| (error|warning) \|", RegexOptions.Multiline)]
    private static partial Regex DocRow();

    [Fact]
    public void OneFactoryPerCodeInTheSchemaRange()
    {
        var codes = Codes();
        Assert.True(codes.Count >= 40);
        foreach (var (code, (method, severity)) in codes)
        {
            Assert.Matches(@"^DBOPS1\d{3}$", code);
            var n = int.Parse(code[5..]);
            Assert.True(severity == DiagnosticSeverity.Warning ? n is >= 1800 and < 1900 : n is < 1800 or 1999, $"{method}: {code} {severity}");
        }
    }

    [Fact]
    public void DocsListEveryCodeWithItsSeverity()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "diagnostics.md"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var doc = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "diagnostics.md"));
        var documented = DocRow().Matches(doc).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var codes = Codes();
        foreach (var (code, (method, severity)) in codes)
        {
            Assert.True(documented.TryGetValue(code, out var sev), $"{code} ({method}) is not in docs/diagnostics.md");
            Assert.Equal(severity == DiagnosticSeverity.Error ? "error" : "warning", sev);
        }
        foreach (var code in documented.Keys) Assert.True(codes.ContainsKey(code), $"docs/diagnostics.md lists {code}, which no factory creates");
    }
}
