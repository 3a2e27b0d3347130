namespace DbOps.Schema.Validation;

/// <summary>
/// Finds <c>@name</c> parameter uses in query SQL, skipping string literals ('...', E'...', $tag$...$tag$),
/// quoted identifiers ("...", [...], `...`), comments (-- and /* */), and <c>@@name</c> system variables.
/// </summary>
public static class SqlParameterScanner
{
    /// <summary>(name without '@', offset of the '@' in <paramref name="sql"/>) in order of appearance.</summary>
    public static IReadOnlyList<(string Name, int Offset)> Find(string sql)
    {
        var result = new List<(string, int)>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            switch (c)
            {
                case '\'':
                    i = SkipQuoted(sql, i, '\'');
                    continue;
                case '"':
                    i = SkipQuoted(sql, i, '"');
                    continue;
                case '`':
                    i = SkipQuoted(sql, i, '`');
                    continue;
                case '[':
                    // SQL Server quoted identifier; PostgreSQL arrays use [ ] too (e.g. a[1]): both hold no parameters by name.
                    var close = sql.IndexOf(']', i + 1);
                    if (close > 0 && !sql.AsSpan(i + 1, close - i - 1).Contains('@')) { i = close + 1; continue; }
                    i++;
                    continue;
                case '-' when next == '-':
                    var eol = sql.IndexOfAny(['\n', '\r'], i);
                    i = eol < 0 ? sql.Length : eol;
                    continue;
                case '/' when next == '*':
                    var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? sql.Length : end + 2;
                    continue;
                case '$':
                    var tagEnd = DollarTagEnd(sql, i);
                    if (tagEnd > 0)
                    {
                        var tag = sql[i..(tagEnd + 1)];
                        var closing = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
                        i = closing < 0 ? sql.Length : closing + tag.Length;
                        continue;
                    }
                    i++;
                    continue;
                case '@' when next == '@':
                    i += 2;
                    while (i < sql.Length && IsPart(sql[i])) i++;
                    continue;
                case '@' when IsStart(next) && (i == 0 || !IsPart(sql[i - 1])):
                    var start = i + 1;
                    var j = start;
                    while (j < sql.Length && IsPart(sql[j])) j++;
                    result.Add((sql[start..j], i));
                    i = j;
                    continue;
                default:
                    i++;
                    continue;
            }
        }
        return result;
    }

    private static int SkipQuoted(string sql, int i, char quote)
    {
        var j = i + 1;
        while (j < sql.Length)
        {
            if (sql[j] == quote)
            {
                if (j + 1 < sql.Length && sql[j + 1] == quote) { j += 2; continue; }
                return j + 1;
            }
            j++;
        }
        return sql.Length;
    }

    /// <summary>For <c>$tag$</c> or <c>$$</c> at <paramref name="i"/>, the index of the closing '$' of the tag; else -1.</summary>
    private static int DollarTagEnd(string sql, int i)
    {
        if (i > 0 && IsPart(sql[i - 1])) return -1;
        var j = i + 1;
        while (j < sql.Length && (char.IsLetter(sql[j]) || sql[j] == '_' || (j > i + 1 && char.IsDigit(sql[j])))) j++;
        return j < sql.Length && sql[j] == '$' ? j : -1;
    }

    private static bool IsStart(char c) => char.IsLetter(c) || c == '_';
    private static bool IsPart(char c) => char.IsLetterOrDigit(c) || c == '_';
}
