namespace DbOps.Schema.Diagnostics;

/// <summary>"Did you mean ...?" candidates by Levenshtein distance.</summary>
public static class Suggestions
{
    [ThreadStatic] private static long? _budget;

    /// <summary>
    /// Limits the distance computations of the current thread (a schema with thousands of misspellings against thousands
    /// of names must stay fast; suggestions are a courtesy). Null = unlimited. Returns the previous budget.
    /// </summary>
    public static long? SetBudget(long? comparisons)
    {
        var previous = _budget;
        _budget = comparisons;
        return previous;
    }

    /// <summary>The closest candidate, or null when none is close enough (a case-only difference always is).</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        if (string.IsNullOrEmpty(input)) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        var lowerInput = input.ToLowerInvariant();
        var examined = 0;
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrEmpty(candidate) || candidate == input) continue;
            if (string.Equals(candidate, input, StringComparison.OrdinalIgnoreCase)) return candidate;
            if (Math.Abs(candidate.Length - input.Length) > 3) continue;
            if (++examined > 2000) break; // keep huge schemas fast; suggestions are a courtesy
            if (_budget is { } b)
            {
                if (b <= 0) break;
                _budget = b - 1;
            }
            var d = Distance(lowerInput, candidate.ToLowerInvariant());
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
