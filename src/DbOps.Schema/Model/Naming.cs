using System.Text;

namespace DbOps.Schema.Model;

/// <summary>Physical names from logical ones, and English plurals for repository names.</summary>
public static class Naming
{
    public static string Apply(NamingStyle style, string logicalName) =>
        style == NamingStyle.SnakeCase ? ToSnakeCase(logicalName) : logicalName;

    /// <summary>InvoiceLine -> invoice_line, CustomerId -> customer_id, HTTPServer -> http_server, Line2Total -> line2_total.</summary>
    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var prev = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                var boundary = i > 0 && prev != '_' &&
                    (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && char.IsLower(next)));
                if (boundary) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>English plural of a PascalCase name (Category -> Categories, Box -> Boxes, Person -> People).</summary>
    public static string Pluralize(string name)
    {
        // Pluralize the last word only: OrderLine -> OrderLines.
        var split = name.Length - 1;
        while (split > 0 && !char.IsUpper(name[split])) split--;
        var head = name[..split];
        var word = name[split..];
        return head + PluralizeWord(word);
    }

    private static readonly Dictionary<string, string> Irregular = new(StringComparer.OrdinalIgnoreCase)
    {
        ["person"] = "people", ["man"] = "men", ["woman"] = "women", ["child"] = "children",
        ["mouse"] = "mice", ["goose"] = "geese", ["foot"] = "feet", ["tooth"] = "teeth",
        ["datum"] = "data", ["index"] = "indexes", ["status"] = "statuses", ["axis"] = "axes",
        ["series"] = "series", ["species"] = "species", ["news"] = "news", ["data"] = "data",
        ["information"] = "information", ["equipment"] = "equipment", ["sheep"] = "sheep", ["fish"] = "fish",
    };

    private static string PluralizeWord(string word)
    {
        if (word.Length == 0) return word;
        if (Irregular.TryGetValue(word, out var irregular))
            return char.IsUpper(word[0]) ? char.ToUpperInvariant(irregular[0]) + irregular[1..] : irregular;
        var lower = word.ToLowerInvariant();
        if (lower.EndsWith('y') && lower.Length > 1 && !"aeiou".Contains(lower[^2])) return word[..^1] + "ies";
        if (lower.EndsWith("s") || lower.EndsWith("x") || lower.EndsWith("z") || lower.EndsWith("ch") || lower.EndsWith("sh")) return word + "es";
        if (lower.EndsWith("fe")) return word[..^2] + "ves";
        if (lower.EndsWith("lf") || lower.EndsWith("af")) return word[..^1] + "ves";
        return word + "s";
    }
}
