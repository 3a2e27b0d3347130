using System.Text.RegularExpressions;
using DbOps.Schema.Model;

namespace DbOps.Engine.Migrations;

internal static partial class MigrationNames
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]*$")]
    private static partial Regex Valid();

    /// <summary>AddPhone -> add_phone; add-phone stays; null when unusable.</summary>
    public static string? FileStem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || !Valid().IsMatch(name) || name.Length > 100) return null;
        return Naming.ToSnakeCase(name).ToLowerInvariant();
    }
}
