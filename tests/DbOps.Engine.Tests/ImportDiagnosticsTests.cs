using System.Reflection;
using System.Text.RegularExpressions;
using DbOps.Engine.Live;
using DbOps.Schema.Diagnostics;
using DbOps.Sql.LiveSchema;

namespace DbOps.Engine.Tests;

/// <summary>DBOPS4001–4039: one factory per code, each in docs/diagnostics.md with its severity; no password in a connection error.</summary>
public partial class ImportDiagnosticsTests
{
    [GeneratedRegex(@"^\| (DBOPS40[0-3]\d) \| (error|warning) \|", RegexOptions.Multiline)]
    private static partial Regex DocRow();

    [Fact]
    public void Every_factory_has_its_own_code_and_docs_list_exactly_those()
    {
        var codes = new Dictionary<string, string>();
        foreach (var m in typeof(ImportDiagnostics).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.ReturnType == typeof(Diagnostic) && m.Name != "For"))
        {
            var d = (Diagnostic)m.Invoke(null, [.. m.GetParameters().Select(_ => (object)"x")])!;
            Assert.Matches("^DBOPS40[0-3][0-9]$", d.Code);
            Assert.True(codes.TryAdd(d.Code, d.IsError ? "error" : "warning"), $"{d.Code} has two factories");
        }
        foreach (var problem in Enum.GetValues<ImportProblem>())
            Assert.Equal("warning", codes[ImportDiagnostics.For(new ImportWarning(problem, "view v", "why")).Code]);

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "diagnostics.md"))) dir = dir.Parent;
        var doc = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "diagnostics.md"));
        Assert.Equal(codes.OrderBy(c => c.Key), DocRow().Matches(doc).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value).OrderBy(c => c.Key));
    }

    [Theory]
    [InlineData("Host=db;Username=app;Password=S3cret-pw;Database=app", "password authentication failed for user app (S3cret-pw)")]
    [InlineData("Server=db;User Id=app;Pwd=S3cret-pw", "Login failed: Server=db;User Id=app;Pwd=S3cret-pw")]
    public void Redact_removes_the_password_and_the_connection_string(string connectionString, string message)
    {
        var redacted = LiveDatabase.Redact(connectionString, message);
        Assert.DoesNotContain("S3cret-pw", redacted);
        Assert.Contains("***", redacted);
    }
}
