using DbOps.Schema.Model;

namespace DbOps.Schema.Diagnostics;

/// <summary>What is wrong with the <c>dbops:</c> format version of a file (DBOPS1001).</summary>
public enum FormatVersionProblem { EmptyFile, Missing, Unsupported }

/// <summary>
/// Every schema diagnostic (DBOPS1xxx errors, DBOPS18xx warnings) is created here: exactly one factory method per code,
/// so codes and message shapes stay stable. docs/diagnostics.md lists them all (a test keeps the two in sync).
/// </summary>
public static class SchemaDiagnostics
{
    private static Diagnostic Error(string code, SourceLocation location, string message) =>
        new(code, DiagnosticSeverity.Error, location, Printable(message));

    private static Diagnostic Warning(string code, SourceLocation location, string message) =>
        new(code, DiagnosticSeverity.Warning, location, Printable(message));

    /// <summary>Messages quote user text: keep them one printable line (no control characters, no lone surrogates).</summary>
    internal static string Printable(string message)
    {
        var clean = true;
        for (var i = 0; i < message.Length && clean; i++)
        {
            var c = message[i];
            if (char.IsControl(c) || (char.IsHighSurrogate(c) && (i + 1 >= message.Length || !char.IsLowSurrogate(message[i + 1]))) ||
                (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(message[i - 1]))))
                clean = false;
        }
        if (clean) return message;
        var sb = new System.Text.StringBuilder(message.Length + 16);
        for (var i = 0; i < message.Length; i++)
        {
            var c = message[i];
            if (char.IsHighSurrogate(c) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1]))
            {
                sb.Append(c).Append(message[++i]);
                continue;
            }
            if (c == '\t') sb.Append("\\t");
            else if (c is '\n' or '\r') sb.Append(' ');
            else if (char.IsControl(c) || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static string Suffix(string? suggestion) =>
        string.IsNullOrEmpty(suggestion) ? "" : $" Did you mean '{suggestion}'?";

    /// <summary>DBOPS1001: empty file, missing <c>dbops: 1</c>, or an unsupported format version.</summary>
    public static Diagnostic FormatVersion(SourceLocation location, FormatVersionProblem problem, string? found = null) =>
        Error("DBOPS1001", location, problem switch
        {
            FormatVersionProblem.EmptyFile => "The schema file is empty; it must start with 'dbops: 1'.",
            FormatVersionProblem.Missing => "The schema file does not declare its format version; add 'dbops: 1' at the top.",
            _ => $"Unsupported format version 'dbops: {found}'; this version of DbOps reads 'dbops: 1'.",
        });

    /// <summary>DBOPS1002: the text is not well-formed YAML (tab indentation, unclosed brackets, bad quoting, several documents...).</summary>
    public static Diagnostic MalformedYaml(SourceLocation location, string detail) =>
        Error("DBOPS1002", location, $"Malformed YAML: {detail}");

    /// <summary>DBOPS1003: a column references an entity that does not exist.</summary>
    public static Diagnostic UnknownEntity(SourceLocation location, string owner, string name, string? suggestion = null) =>
        Error("DBOPS1003", location, $"Column '{owner}' references unknown entity '{name}'.{Suffix(suggestion)}");

    /// <summary>DBOPS1004: a column references a column that does not exist on the referenced entity.</summary>
    public static Diagnostic UnknownReferencedColumn(SourceLocation location, string owner, string entity, string column, string? suggestion = null) =>
        Error("DBOPS1004", location, $"Column '{owner}' references unknown column '{entity}.{column}'.{Suffix(suggestion)}");

    /// <summary>DBOPS1005: a key that is not part of the format.</summary>
    public static Diagnostic UnknownKey(SourceLocation location, string key, string where, string? suggestion = null) =>
        Error("DBOPS1005", location, $"Unknown key '{key}' in {where}.{Suffix(suggestion)}");

    /// <summary>DBOPS1006: the same key twice in one YAML mapping.</summary>
    public static Diagnostic DuplicateKey(SourceLocation location, string key, SourceLocation first) =>
        Error("DBOPS1006", location, $"Duplicate key '{key}' (first defined at line {first.Line}).");

    /// <summary>DBOPS1007: a name that is not a valid C# identifier (or, for physical names, not a valid SQL name).</summary>
    public static Diagnostic InvalidIdentifier(SourceLocation location, string kind, string name, string reason) =>
        Error("DBOPS1007", location, $"The {kind} '{name}' is not a valid name: {reason}");

    /// <summary>DBOPS1008: a name that is a C# keyword (reserved, or contextual in a way that breaks generated code).</summary>
    public static Diagnostic ReservedKeyword(SourceLocation location, string kind, string name) =>
        Error("DBOPS1008", location, $"The {kind} '{name}' is a C# keyword; choose another name.");

    /// <summary>DBOPS1009: two names collide (case-insensitively) in one scope.</summary>
    public static Diagnostic NameCollision(SourceLocation location, string kind, string name, string other, string scope) =>
        Error("DBOPS1009", location, $"The {kind} '{name}' collides with '{other}' in {scope} (names are compared case-insensitively).");

    /// <summary>DBOPS1010: a column type that is neither a built-in type nor an enum, or a malformed type.</summary>
    public static Diagnostic UnknownType(SourceLocation location, string owner, string type, string? suggestion = null) =>
        Error("DBOPS1010", location, $"Column '{owner}' has unknown type '{type}'.{Suffix(suggestion)}");

    /// <summary>DBOPS1011: decimal precision/scale outside 1 ≤ p ≤ 38, 0 ≤ s ≤ p.</summary>
    public static Diagnostic DecimalOutOfRange(SourceLocation location, string owner, string type) =>
        Error("DBOPS1011", location, $"'{owner}' has type '{type}': decimal(p,s) needs 1 <= p <= 38 and 0 <= s <= p.");

    /// <summary>DBOPS1012: string(n)/binary(n) with n below 1.</summary>
    public static Diagnostic LengthTooSmall(SourceLocation location, string owner, string type) =>
        Error("DBOPS1012", location, $"'{owner}' has type '{type}': the length must be at least 1.");

    /// <summary>DBOPS1013: an entity without a primary key.</summary>
    public static Diagnostic MissingPrimaryKey(SourceLocation location, string entity) =>
        Error("DBOPS1013", location, $"Entity '{entity}' has no primary key; mark a column 'primaryKey: true' or list the key columns in 'primaryKey: [A, B]'.");

    /// <summary>DBOPS1014: two entities mapped to one table.</summary>
    public static Diagnostic DuplicateTable(SourceLocation location, string entity, string table, string other) =>
        Error("DBOPS1014", location, $"Entity '{entity}' uses table '{table}', which entity '{other}' already uses.");

    /// <summary>DBOPS1015: <c>identity</c> on a column that is not an integer.</summary>
    public static Diagnostic IdentityNotInteger(SourceLocation location, string owner, string type) =>
        Error("DBOPS1015", location, $"Column '{owner}' is an identity but has type '{type}'; identity columns must be int16, int32 or int64.");

    /// <summary>DBOPS1016: a foreign key whose type differs from the referenced column's type.</summary>
    public static Diagnostic ForeignKeyTypeMismatch(SourceLocation location, string owner, string type, string target, string targetType) =>
        Error("DBOPS1016", location, $"Column '{owner}' has type '{type}' but references '{target}' of type '{targetType}'; the types must be equal.");

    /// <summary>DBOPS1017: <c>onDelete: setNull</c> on a NOT NULL column.</summary>
    public static Diagnostic SetNullOnNonNullable(SourceLocation location, string owner) =>
        Error("DBOPS1017", location, $"Column '{owner}' uses 'onDelete: setNull' but is not nullable; make it nullable ('?' or 'nullable: true') or choose another action.");

    /// <summary>DBOPS1018: a <c>default:</c> that is not a value of the column's type (or violates the column's own rules).</summary>
    public static Diagnostic InvalidDefault(SourceLocation location, string owner, string value, string type, string reason) =>
        Error("DBOPS1018", location, $"Column '{owner}' has default '{value}', which is not a valid {type}: {reason}");

    /// <summary>DBOPS1019: an enum column default that is not a member of the enum.</summary>
    public static Diagnostic EnumDefaultNotMember(SourceLocation location, string owner, string value, string enumName, string? suggestion = null) =>
        Error("DBOPS1019", location, $"Column '{owner}' has default '{value}', which is not a member of enum '{enumName}'.{Suffix(suggestion)}");

    /// <summary>DBOPS1020: an index or primary key naming a column the entity does not have.</summary>
    public static Diagnostic UnknownKeyColumn(SourceLocation location, string entity, string what, string column, string? suggestion = null) =>
        Error("DBOPS1020", location, $"The {what} of entity '{entity}' names unknown column '{column}'.{Suffix(suggestion)}");

    /// <summary>DBOPS1021: a query parameter of unknown type.</summary>
    public static Diagnostic UnknownParameterType(SourceLocation location, string query, string parameter, string type, string? suggestion = null) =>
        Error("DBOPS1021", location, $"Parameter '{parameter}' of query '{query}' has unknown type '{type}'.{Suffix(suggestion)}");

    /// <summary>DBOPS1022: a query result (scalar or column) of unknown type.</summary>
    public static Diagnostic UnknownResultType(SourceLocation location, string query, string what, string type, string? suggestion = null) =>
        Error("DBOPS1022", location, $"The {what} of query '{query}' has unknown type '{type}'.{Suffix(suggestion)}");

    /// <summary>DBOPS1023: <c>decimal(12,2)</c> written unquoted inside a flow mapping, where YAML splits it at the comma.</summary>
    public static Diagnostic SplitTypeInFlowMapping(SourceLocation location, string text) =>
        Error("DBOPS1023", location, $"Inside '{{ ... }}' YAML splits '{text}' at its comma: quote it ('decimal(12,2)') or use block form.");

    /// <summary>DBOPS1024: a schema file larger than the limit.</summary>
    public static Diagnostic FileTooLarge(SourceLocation location, long bytes, long limit) =>
        Error("DBOPS1024", location, $"The schema file is {bytes} bytes; the limit is {limit} bytes. Split it into several *.dbops.yaml files.");

    /// <summary>DBOPS1025: nesting too deep or too many nodes (including alias expansions).</summary>
    public static Diagnostic TooComplex(SourceLocation location, string detail) =>
        Error("DBOPS1025", location, $"The schema file is too complex: {detail}");

    /// <summary>DBOPS1026: a node of the wrong kind (scalar where a mapping is required, etc.).</summary>
    public static Diagnostic WrongNodeKind(SourceLocation location, string where, string expected, string found) =>
        Error("DBOPS1026", location, $"Expected {expected} for {where}, found {found}.");

    /// <summary>DBOPS1027: an enum without members or with a duplicate member.</summary>
    public static Diagnostic InvalidEnum(SourceLocation location, string enumName, string reason) =>
        Error("DBOPS1027", location, $"Enum '{enumName}' {reason}");

    /// <summary>DBOPS1028: a value that is not allowed for its key (provider, naming, onDelete, a bool, a number...).</summary>
    public static Diagnostic InvalidValue(SourceLocation location, string key, string value, string expected, string? suggestion = null) =>
        Error("DBOPS1028", location, $"Invalid value '{value}' for '{key}': expected {expected}.{Suffix(suggestion)}");

    /// <summary>DBOPS1029: two schema files disagree (same entity/enum/query defined twice, different name/provider...).</summary>
    public static Diagnostic MergeConflict(SourceLocation location, string what, SourceLocation first) =>
        Error("DBOPS1029", location, $"{what} conflicts with the definition in {first}; each thing may be defined in one file only.");

    /// <summary>DBOPS1030: a contradictory or inapplicable validation rule (min &gt; max, minLength on a number, a bad regex...).</summary>
    public static Diagnostic InvalidRule(SourceLocation location, string owner, string reason) =>
        Error("DBOPS1030", location, $"Column '{owner}': {reason}");

    /// <summary>DBOPS1031: a primary key declared twice or in a way that cannot work (nullable, composite with identity...).</summary>
    public static Diagnostic InvalidPrimaryKey(SourceLocation location, string entity, string reason) =>
        Error("DBOPS1031", location, $"Entity '{entity}': {reason}");

    /// <summary>DBOPS1032: the SQL of a query uses an <c>@name</c> parameter that is not declared in <c>params:</c>.</summary>
    public static Diagnostic UndeclaredQueryParameter(SourceLocation location, string query, string parameter, string? suggestion = null) =>
        Error("DBOPS1032", location, $"Query '{query}' uses parameter '@{parameter}', which is not declared in 'params:'.{Suffix(suggestion)}");

    /// <summary>DBOPS1033: the MSBuild property DbOpsProvider has an unknown value.</summary>
    public static Diagnostic InvalidProviderOverride(string value) =>
        Error("DBOPS1033", SourceLocation.None, $"DbOpsProvider '{value}' is not a provider; use sqlite, postgresql or sqlserver.");

    /// <summary>DBOPS1034: a required key is missing (a column without type, a query without sql, an index without columns...).</summary>
    public static Diagnostic MissingRequiredKey(SourceLocation location, string where, string key) =>
        Error("DBOPS1034", location, $"{where} is missing the required key '{key}'.");

    /// <summary>DBOPS1035: two keys that cannot be used together, or a key that needs another one.</summary>
    public static Diagnostic ConflictingKeys(SourceLocation location, string owner, string key, string reason) =>
        Error("DBOPS1035", location, $"'{owner}': '{key}' {reason}");

    /// <summary>DBOPS1036: a reference to an entity with a composite key that does not name the column.</summary>
    public static Diagnostic AmbiguousReference(SourceLocation location, string owner, string entity) =>
        Error("DBOPS1036", location, $"Column '{owner}' references '{entity}', which has a composite primary key; name the column ('{entity}.Column').");

    /// <summary>DBOPS1037: a reference to a column that is neither the primary key nor unique.</summary>
    public static Diagnostic ReferenceTargetNotUnique(SourceLocation location, string owner, string target) =>
        Error("DBOPS1037", location, $"Column '{owner}' references '{target}', which is neither a single-column primary key nor unique.");

    /// <summary>DBOPS1038: a type name (entity, enum, query, database) equal to a type the generated code uses.</summary>
    public static Diagnostic ShadowsGeneratedCodeType(SourceLocation location, string kind, string name) =>
        Error("DBOPS1038", location, $"The {kind} '{name}' would hide the type '{name}' that the generated code uses; choose another name (e.g. '{name}Item').");

    /// <summary>DBOPS1801 (warning): a foreign key without an index whose leading column is the foreign key column.</summary>
    public static Diagnostic ForeignKeyWithoutIndex(SourceLocation location, string owner) =>
        Warning("DBOPS1801", location, $"Foreign key column '{owner}' has no index starting with it; deletes of the referenced row and joins will scan the table. Add 'indexes: - columns: [{owner[(owner.IndexOf('.') + 1)..]}]'.");

    /// <summary>DBOPS1802 (warning): <c>renamedFrom</c> equal to the current name.</summary>
    public static Diagnostic RenamedFromSameName(SourceLocation location, string owner) =>
        Warning("DBOPS1802", location, $"'{owner}' says 'renamedFrom: {owner[(owner.LastIndexOf('.') + 1)..]}', its own name; remove it.");

    /// <summary>DBOPS1803 (warning): a declared query parameter the SQL never uses.</summary>
    public static Diagnostic UnusedQueryParameter(SourceLocation location, string query, string parameter) =>
        Warning("DBOPS1803", location, $"Parameter '{parameter}' of query '{query}' is declared but the SQL never uses '@{parameter}'.");

    /// <summary>DBOPS1999: an unexpected internal failure (a bug in DbOps; please report it).</summary>
    public static Diagnostic InternalError(SourceLocation location, string detail) =>
        Error("DBOPS1999", location, $"Internal error while reading the schema (please report this as a DbOps bug): {detail}");
}
