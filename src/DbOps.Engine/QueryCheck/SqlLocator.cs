using DbOps.Schema;
using DbOps.Schema.Model;

namespace DbOps.Engine.QueryCheck;

/// <summary>
/// Maps an offset in a query's SQL to its line and column in the schema file. The SQL is the value of a YAML
/// scalar (block, plain or quoted), so the text from the offset to the end of its line is looked up in the file
/// from the <c>sql:</c> value on, counting earlier occurrences. Falls back to the value's position when the file
/// text is not known or the text cannot be found (e.g. a folded line or an escape sequence).
/// </summary>
internal sealed class SqlLocator(IReadOnlyList<SchemaSource>? sources)
{
    private readonly Dictionary<string, string[]> _lines = new(StringComparer.Ordinal);

    public SourceLocation Locate(QueryModel query, int offset)
    {
        var start = query.SqlLocation;
        var sql = query.Sql;
        if (offset < 0 || offset >= sql.Length || start.Line <= 0 || Lines(start.File) is not { } lines) return start;

        // Point at the token, not at the whitespace before it.
        while (offset < sql.Length && sql[offset] is ' ' or '\t') offset++;
        var lineEnd = sql.IndexOfAny(['\n', '\r'], offset);
        var needle = sql[offset..(lineEnd < 0 ? sql.Length : lineEnd)].TrimEnd();
        if (needle.Length == 0) return start;
        if (needle.Length > 60) needle = needle[..60];

        var occurrence = 0;
        for (var i = sql.IndexOf(needle, StringComparison.Ordinal); i >= 0 && i < offset; i = sql.IndexOf(needle, i + 1, StringComparison.Ordinal))
            occurrence++;

        // A scalar spans at most one file line per line break or (folded) space of its value, plus its indicator line.
        var maxLine = Math.Min(lines.Length, start.Line + 1 + sql.Count(c => c is '\n' or ' '));
        var found = 0;
        for (var li = start.Line - 1; li < maxLine; li++)
        {
            var line = lines[li];
            var from = li == start.Line - 1 ? Math.Min(line.Length, Math.Max(0, start.Column - 1)) : 0;
            for (var j = line.IndexOf(needle, from, StringComparison.Ordinal); j >= 0; j = line.IndexOf(needle, j + 1, StringComparison.Ordinal))
            {
                if (found++ == occurrence) return new SourceLocation(start.File, li + 1, j + 1);
            }
        }
        return start;
    }

    private string[]? Lines(string file)
    {
        if (_lines.TryGetValue(file, out var cached)) return cached;
        var source = sources?.FirstOrDefault(s => s is not null && s.Path == file);
        if (source is null) return null;
        var text = source.Text ?? "";
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        _lines[file] = lines;
        return lines;
    }
}
