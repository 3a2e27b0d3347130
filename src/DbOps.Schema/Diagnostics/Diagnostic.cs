using DbOps.Schema.Model;

namespace DbOps.Schema.Diagnostics;

public enum DiagnosticSeverity { Warning, Error }

/// <summary>One coded problem at a file position; printed in MSBuild's canonical form.</summary>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, SourceLocation Location, string Message)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary><c>file(line,col): error DBOPS1003: text</c> — MSBuild turns this line into an error at that spot.</summary>
    public string ToCanonicalString()
    {
        var kind = IsError ? "error" : "warning";
        var origin = Location.Line > 0 ? $"{Location.File}({Location.Line},{Location.Column})" : (Location.File.Length > 0 ? Location.File : "dbops");
        // Canonical messages are single-line; keep multi-line detail readable.
        var text = Message.Replace("\r", "").Replace("\n", " ");
        return $"{origin}: {kind} {Code}: {text}";
    }

    public override string ToString() => ToCanonicalString();
}

/// <summary>Collects diagnostics; stages add to it and check <see cref="HasErrors"/>.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];
    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Any(d => d.IsError);
    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);
    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);
}
