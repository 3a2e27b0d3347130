namespace DbOps.Schema.Diagnostics;

/// <summary>"Did you mean ...?" candidates by Levenshtein distance.</summary>
public static class Suggestions
{
    /// <summary>The closest candidate, or null when none is close enough (a case-only difference always is).</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        if (string.IsNullOrEmpty(input)) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrEmpty(candidate) || candidate == input) continue;
            if (string.Equals(candidate, input, StringComparison.OrdinalIgnoreCase)) return candidate;
            var d = Distance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance) { bestDistance = d; best = candidate; }
        }
        var limit = Math.Max(1, Math.Min(3, Math.Max(input.Length, best?.Length ?? 0) / 3));
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Levenshtein distance (insert, delete, substitute, and adjacent transposition).</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256) return int.MaxValue / 2;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
            }
        }
        return d[a.Length, b.Length];
    }
}
