using System.Text.RegularExpressions;
using DbOps.Schema.Model;

namespace DbOps.Schema.Parsing;

/// <summary>A value with the position of the YAML node it came from.</summary>
internal readonly record struct Located<T>(T Value, SourceLocation Location);

/// <summary>A type as written (<c>string(40)?</c>, <c>decimal(12,2)</c>, <c>OrderStatus</c>), not yet resolved against enums.</summary>
internal sealed partial class TypeSyntax
{
    public required string Text { get; init; }
    public required SourceLocation Location { get; init; }
    /// <summary>Null when the text is not even shaped like a type.</summary>
    public string? Name { get; init; }
    /// <summary>Null when no parentheses; otherwise the parsed arguments (null entries = not an integer).</summary>
    public IReadOnlyList<int?>? Args { get; init; }
    public bool Nullable { get; init; }
    /// <summary>An error about this type was already reported (e.g. the DBOPS1023 comma split); stay quiet about it.</summary>
    public bool AlreadyReported { get; init; }

    [GeneratedRegex(@"^\s*([\p{L}_][\p{L}\p{Nd}_]*)\s*(?:\(([^()]*)\))?\s*(\?)?\s*$")]
    private static partial Regex Shape();

    public static TypeSyntax Parse(string text, SourceLocation location)
    {
        var m = Shape().Match(text);
        if (!m.Success) return new TypeSyntax { Text = text, Location = location };
        IReadOnlyList<int?>? args = null;
        if (m.Groups[2].Success)
        {
            args = m.Groups[2].Value.Split(',')
                .Select(a => int.TryParse(a.Trim(), System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : (int?)null)
                .ToList();
        }
        return new TypeSyntax { Text = text.Trim(), Location = location, Name = m.Groups[1].Value, Args = args, Nullable = m.Groups[3].Success };
    }
}

internal sealed class FileSyntax
{
    public required string Path { get; init; }
    public required SourceLocation Root { get; init; }
    /// <summary>The file's lines (as YAML counts them), to place diagnostics inside multi-line scalars.</summary>
    public IReadOnlyList<string> Lines { get; init; } = [];
    public Located<string>? Name { get; set; }
    public Located<string>? Namespace { get; set; }
    public Located<DbProvider>? Provider { get; set; }
    public Located<NamingStyle>? Naming { get; set; }
    public List<EnumSyntax> Enums { get; } = [];
    public List<EntitySyntax> Entities { get; } = [];
    public List<QuerySyntax> Queries { get; } = [];
}

internal sealed class EnumSyntax
{
    public required Located<string> Name { get; init; }
    public List<Located<string>> Members { get; } = [];
    public SourceLocation MembersLocation { get; set; }
    public string? Comment { get; set; }
    public bool Broken { get; set; }
}

internal sealed class EntitySyntax
{
    public required Located<string> Name { get; init; }
    public Located<string>? Table { get; set; }
    public Located<string>? Plural { get; set; }
    public Located<string>? RenamedFrom { get; set; }
    public string? Comment { get; set; }
    /// <summary><c>deprecated:</c>: null = no, "" = yes without a reason, else the reason.</summary>
    public string? Deprecated { get; set; }
    public List<ColumnSyntax> Columns { get; } = [];
    public bool ColumnsBroken { get; set; }
    public bool HasColumnsKey { get; set; }
    public List<Located<string>>? PrimaryKey { get; set; }
    public SourceLocation PrimaryKeyLocation { get; set; }
    public bool PrimaryKeyBroken { get; set; }
    public List<IndexSyntax> Indexes { get; } = [];
    public List<CheckSyntax> Checks { get; } = [];
}

internal sealed class ColumnSyntax
{
    public required Located<string> Name { get; init; }
    public TypeSyntax? Type { get; set; }
    /// <summary>The column definition was unusable (already reported); skip checks that depend on it.</summary>
    public bool Broken { get; set; }
    public Located<bool>? Nullable { get; set; }
    public Located<bool>? PrimaryKey { get; set; }
    /// <summary><c>primaryKey:</c> had an unreadable value (reported); the entity's key is unknown.</summary>
    public bool PrimaryKeyInvalid { get; set; }
    public Located<bool>? Identity { get; set; }
    public Located<bool>? Unique { get; set; }
    public YScalar? Default { get; set; }
    public Located<string>? DefaultSql { get; set; }
    public Located<string>? ColumnName { get; set; }
    public Located<string>? References { get; set; }
    public Located<OnDeleteAction>? OnDelete { get; set; }
    public Located<int>? MinLength { get; set; }
    public Located<decimal>? Min { get; set; }
    public Located<decimal>? Max { get; set; }
    public Located<string>? Pattern { get; set; }
    public Located<string>? RenamedFrom { get; set; }
    public string? Comment { get; set; }
    /// <summary><c>deprecated:</c>: null = no, "" = yes without a reason, else the reason.</summary>
    public string? Deprecated { get; set; }
}

internal sealed class IndexSyntax
{
    public required SourceLocation Location { get; init; }
    public List<Located<string>>? Columns { get; set; }
    public bool Broken { get; set; }
    public bool Unique { get; set; }
    public Located<string>? Name { get; set; }
    public string? Where { get; set; }
}

internal sealed class CheckSyntax
{
    public required SourceLocation Location { get; init; }
    public Located<string>? Name { get; set; }
    public string? Sql { get; set; }
}

internal sealed class QuerySyntax
{
    public required Located<string> Name { get; init; }
    public YScalar? Sql { get; set; }
    public List<(Located<string> Name, TypeSyntax Type)> Params { get; } = [];
    public bool ParamsBroken { get; set; }
    public ReturnsSyntax? Returns { get; set; }
    public string? Comment { get; set; }
}

internal sealed class ReturnsSyntax
{
    public required SourceLocation Location { get; init; }
    public TypeSyntax? Scalar { get; set; }
    public List<(Located<string> Name, TypeSyntax Type)> Columns { get; } = [];
    public bool Broken { get; set; }
}
