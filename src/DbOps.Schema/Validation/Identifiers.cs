using System.Globalization;

namespace DbOps.Schema.Validation;

/// <summary>C# identifier and keyword rules for logical names, and SQL rules for physical names.</summary>
public static class Identifiers
{
    public const int MaxPhysicalLength = 63; // PostgreSQL's limit; longer names are silently truncated there.

    /// <summary>Reserved C# keywords: never usable as a plain identifier.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Contextual keywords that break generated code when used as a type name (class/enum/record).</summary>
    public static readonly IReadOnlySet<string> ContextualTypeNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "var", "dynamic", "record", "file", "required", "scoped", "partial", "await", "async", "yield", "nameof",
        "field", "value", "global", "managed", "unmanaged", "notnull", "allows", "extension",
    };

    /// <summary>Contextual keywords that break generated members (properties, parameters inside async methods).</summary>
    public static readonly IReadOnlySet<string> ContextualMemberNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "await", "yield", "nameof", "field", "value", "global", "var", "dynamic",
    };

    /// <summary>Null when <paramref name="name"/> is a valid C# identifier; otherwise why it is not.</summary>
    public static string? WhyNotIdentifier(string name)
    {
        if (name.Length == 0) return "it is empty.";
        if (name.Length > 128) return "it is longer than 128 characters.";
        if (!IsStart(name[0]))
            return char.IsDigit(name[0]) ? "it starts with a digit." : $"it starts with '{Printable(name[0])}'; C# identifiers start with a letter or '_'.";
        for (var i = 1; i < name.Length; i++)
        {
            if (!IsPart(name[i]))
                return $"'{Printable(name[i])}' cannot appear in a C# identifier (use letters, digits and '_').";
        }
        return null;
    }

    /// <summary>
    /// Types and namespaces the generated code names without qualification. A schema type (entity, enum, query row
    /// holder, database class) with one of these names would be found first inside the generated namespace and
    /// break the generated code, so it is refused (DBOPS1038) rather than producing a file that does not compile.
    /// </summary>
    public static readonly HashSet<string> GeneratedCodeTypeNames = new(StringComparer.Ordinal)
    {
        "System", "Microsoft", "Npgsql", "NpgsqlTypes", "DbOps",
        "Task", "ValueTask", "CancellationToken", "DateTimeOffset", "DateTime", "DateOnly", "TimeOnly", "TimeSpan", "Guid",
        "String", "Decimal", "Double", "Single", "Int16", "Int32", "Int64", "Boolean", "Byte", "Object", "Enum", "Math",
        "Convert", "Array", "List", "HashSet", "Dictionary", "KeyValuePair", "IReadOnlyList", "IEnumerable", "IAsyncEnumerable",
        "Func", "Action", "Nullable", "Type", "Attribute", "DBNull", "Exception", "CultureInfo", "Encoding", "StringBuilder",
        "ArgumentNullException", "ArgumentOutOfRangeException", "ArgumentException", "InvalidOperationException",
        "IDisposable", "IAsyncDisposable", "IsolationLevel", "CommandBehavior", "EnumeratorCancellation",
        "DbDataSource", "DbConnection", "DbTransaction", "DbDataReader", "DbException", "DbCommand", "DbParameter",
        "Regex", "RegexOptions", "ILogger",
        "SqliteType", "SqliteParameter", "SqliteConnection", "SqliteCommand", "SqliteException", "SqliteDataReader",
        "NpgsqlDbType", "NpgsqlParameter", "NpgsqlConnection", "NpgsqlCommand", "NpgsqlBinaryImporter", "NpgsqlDataSource",
        "SqlDbType", "SqlBulkCopy", "SqlBulkCopyOptions", "SqlParameter", "SqlConnection", "SqlCommand",
    };

    /// <summary>True when a type name would hide a type the generated code uses (or one of the DbOps runtime's DbOps* types).</summary>
    public static bool ShadowsGeneratedCodeType(string name) =>
        GeneratedCodeTypeNames.Contains(name) || (name.StartsWith("DbOps", StringComparison.Ordinal) && name.Length > 5);

    public static bool IsKeyword(string name, bool typeName) =>
        Reserved.Contains(name) || (typeName ? ContextualTypeNames.Contains(name) : ContextualMemberNames.Contains(name));

    /// <summary>Null when a physical (SQL) name is acceptable for every provider without quoting surprises.</summary>
    public static string? WhyNotPhysicalName(string name)
    {
        if (name.Length == 0) return "it is empty.";
        if (name.Length > MaxPhysicalLength) return $"it is longer than {MaxPhysicalLength} characters (PostgreSQL would truncate it).";
        if (!(char.IsLetter(name[0]) || name[0] == '_')) return "physical names start with a letter or '_'.";
        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
                return $"'{Printable(c)}' cannot appear in a physical name (use letters, digits and '_').";
        }
        return null;
    }

    private static string Printable(char c) => c switch
    {
        '\t' => "\\t",
        '\n' => "\\n",
        '\r' => "\\r",
        ' ' => "space",
        _ when char.IsControl(c) || char.IsSurrogate(c) => $"\\u{(int)c:X4}",
        _ => c.ToString(),
    };

    private static bool IsStart(char c) => c == '_' || CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or
        UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;

    private static bool IsPart(char c) => IsStart(c) || CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.NonSpacingMark or
        UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// The one rule for generated physical names (<c>pk_</c>, <c>ux_</c>, <c>ix_</c>, <c>fk_</c>, <c>ck_</c>): unchanged when they fit
    /// <see cref="MaxPhysicalLength"/>, else their first 54 characters, '_' and the 8-hex-digit FNV-1a hash of the whole name.
    /// The validator, the DDL (DbOps.Sql) and the generated code all call this.
    /// </summary>
    public static string ShortenGenerated(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length <= MaxPhysicalLength) return name;
        uint hash = 2166136261;
        foreach (var c in name) hash = (hash ^ c) * 16777619;
        return $"{name[..54]}_{hash:x8}";
    }

    /// <summary>The primary key's name: <c>pk_{table}</c>, shortened.</summary>
    public static string PrimaryKeyName(string table) => ShortenGenerated($"pk_{table}");

    /// <summary>A foreign key without a <c>name:</c>: <c>fk_{table}_{column}</c>, shortened.</summary>
    public static string ForeignKeyName(string table, string column) => ShortenGenerated($"fk_{table}_{column}");

    /// <summary>The unique key a foreign key to a non-primary-key column needs: <c>ak_{table}_{column}</c>, shortened.</summary>
    public static string AlternateKeyName(string table, string column) => ShortenGenerated($"ak_{table}_{column}");

    /// <summary>
    /// The CHECK constraint of one column rule: <c>ck_{table}_{column}_{rule}</c> (<c>min_length</c>, <c>length</c>,
    /// <c>min</c>, <c>max</c>), shortened. The DDL writes it and the importer recognizes it.
    /// </summary>
    public static string ColumnCheckName(string table, string column, string rule) => ShortenGenerated($"ck_{table}_{column}_{rule}");

    /// <summary>The unique index of a <c>unique: true</c> column: <c>ux_{table}_{column}</c>, shortened.</summary>
    public static string UniqueColumnIndexName(string table, string column) => IndexName(table, [column], unique: true);

    /// <summary>An index without a <c>name:</c>: <c>ux_{table}_{columns}</c> when unique, else <c>ix_{table}_{columns}</c>, shortened.</summary>
    public static string IndexName(string table, IEnumerable<string> columns, bool unique) =>
        ShortenGenerated($"{(unique ? "ux" : "ix")}_{table}_{string.Join("_", columns)}");
}
