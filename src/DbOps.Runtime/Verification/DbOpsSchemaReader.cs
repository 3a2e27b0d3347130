using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DbOps.Runtime;

/// <summary>
/// Reads the structure of a live database from its catalog with the provider's own driver (no EF Core), and knows how
/// the provider spells things: the comparison normalizes both sides with <see cref="NormalizeType"/>,
/// <see cref="NormalizeDefault"/> and <see cref="NormalizeSql"/>, and the statements that undo a hand-made change come
/// from here. One subclass per provider package (<see cref="DbOpsProviderServices.SchemaReader"/>).
/// </summary>
/// <remarks>
/// Bookkeeping tables are never read: DbOps' own (<c>dbops_*</c>), DbUp's <c>schemaversions</c>, EF Core's
/// <c>__EFMigrationsHistory</c> and SQLite's internal <c>sqlite_*</c>. Views, triggers and functions are not tables and are not read.
/// </remarks>
public abstract partial class DbOpsSchemaReader
{
    /// <summary>Reads every user table (PostgreSQL: the <c>public</c> schema; SQL Server: <c>dbo</c>).</summary>
    public abstract Task<DbOpsSchemaShape> ReadAsync(DbConnection connection, CancellationToken cancellationToken = default);

    /// <summary>True for tables DbOps and other migration tools keep for themselves; they are not part of the structure.</summary>
    public static bool IsBookkeeping(string table) =>
        table.StartsWith("dbops_", StringComparison.OrdinalIgnoreCase) || table.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)
        || table.Equals("schemaversions", StringComparison.OrdinalIgnoreCase) || table.Equals("__EFMigrationsHistory", StringComparison.OrdinalIgnoreCase);

    /// <summary>A quoted identifier.</summary>
    public virtual string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One spelling per type (case, spaces, the provider's synonyms), so that two spellings of one type compare equal.</summary>
    public virtual string NormalizeType(string type) =>
        Spaces().Replace(type.Trim().ToLowerInvariant(), " ").Replace(" (", "(", StringComparison.Ordinal).Replace(", ", ",", StringComparison.Ordinal);

    /// <summary>
    /// A default in a canonical form: without enclosing parentheses and casts (<c>'a'::text</c>), a string literal by its
    /// value, a number by its value, a date/time by its instant, anything else (an expression) by <see cref="NormalizeSql"/>.
    /// </summary>
    public virtual string? NormalizeDefault(string? sql)
    {
        if (sql is null) return null;
        var s = StripCasts(StripParens(sql.Trim()));
        s = StripParens(s);
        if (s.Equals("null", StringComparison.OrdinalIgnoreCase)) return null;
        var literal = TypedLiteral().Match(s);
        if (literal.Success) s = literal.Groups["q"].Value;
        if (StringLiteral(s) is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                && text.Any(char.IsDigit) && text.Contains('-', StringComparison.Ordinal))
                return "instant:" + instant.UtcTicks.ToString(CultureInfo.InvariantCulture);
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return "number:" + n.ToString("G29", CultureInfo.InvariantCulture);
            return "text:" + text;
        }
        if (decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return "number:" + number.ToString("G29", CultureInfo.InvariantCulture);
        return s.ToLowerInvariant() switch
        {
            "true" => "number:1",
            "false" => "number:0",
            _ => NormalizeSql(s),
        };
    }

    /// <summary>
    /// A condition or expression (CHECK, index filter, default expression) compared loosely: lower case outside string
    /// literals, without whitespace, parentheses, identifier quotes and casts, since catalogs re-print what they were given
    /// (PostgreSQL turns <c>price &gt;= 0</c> into <c>(price &gt;= (0)::numeric)</c>).
    /// </summary>
    public virtual string NormalizeSql(string sql)
    {
        var s = StripCasts(sql);
        var b = new StringBuilder(s.Length);
        var inString = false;
        foreach (var c in s)
        {
            if (c == '\'') inString = !inString;
            if (inString || c == '\'') { b.Append(c); continue; }
            if (char.IsWhiteSpace(c) || c is '(' or ')' or '"' or '`' or '[' or ']') continue;
            b.Append(char.ToLowerInvariant(c));
        }
        return b.ToString();
    }

    /// <summary>Undoes an extra table.</summary>
    public virtual string? DropTable(string table) => $"DROP TABLE {Quote(table)};";

    /// <summary>Undoes an extra column.</summary>
    public virtual string? DropColumn(string table, string column) => $"ALTER TABLE {Quote(table)} DROP COLUMN {Quote(column)};";

    /// <summary>Undoes an extra index.</summary>
    public virtual string? DropIndex(string table, string index) => $"DROP INDEX {Quote(index)};";

    /// <summary>Undoes an extra named constraint (unique, foreign key, check); null where constraints cannot be dropped (SQLite).</summary>
    public virtual string? DropConstraint(string table, string constraint) => $"ALTER TABLE {Quote(table)} DROP CONSTRAINT {Quote(constraint)};";

    /// <summary>Gives a column back its expected type; null where columns cannot be altered (SQLite).</summary>
    public virtual string? AlterColumnType(string table, DbOpsColumnShape expected) =>
        $"ALTER TABLE {Quote(table)} ALTER COLUMN {Quote(expected.Name)} TYPE {expected.Type};";

    /// <summary>Gives a column back its expected nullability; null where columns cannot be altered.</summary>
    public virtual string? AlterColumnNullability(string table, DbOpsColumnShape expected) =>
        $"ALTER TABLE {Quote(table)} ALTER COLUMN {Quote(expected.Name)} {(expected.Nullable ? "DROP" : "SET")} NOT NULL;";

    /// <summary>Gives a column back its expected default; null where columns cannot be altered.</summary>
    public virtual string? AlterColumnDefault(string table, DbOpsColumnShape expected) => expected.Default is null
        ? $"ALTER TABLE {Quote(table)} ALTER COLUMN {Quote(expected.Name)} DROP DEFAULT;"
        : $"ALTER TABLE {Quote(table)} ALTER COLUMN {Quote(expected.Name)} SET DEFAULT {expected.Default};";

    /// <summary>Recreates a missing index.</summary>
    public virtual string? CreateIndex(string table, DbOpsIndexShape index) =>
        $"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {Quote(index.Name)} ON {Quote(table)} ({Columns(index.Columns)})" +
        (index.Filter is null ? ";" : $" WHERE {index.Filter};");

    /// <summary>Recreates a missing check; null where constraints cannot be added (SQLite).</summary>
    public virtual string? AddCheck(string table, DbOpsCheckShape check) =>
        $"ALTER TABLE {Quote(table)} ADD CONSTRAINT {Quote(check.Name)} CHECK ({check.Sql});";

    /// <summary>Recreates a missing foreign key; null where constraints cannot be added (SQLite).</summary>
    public virtual string? AddForeignKey(string table, DbOpsForeignKeyShape fk) =>
        $"ALTER TABLE {Quote(table)} ADD {(fk.Name is null ? "" : $"CONSTRAINT {Quote(fk.Name)} ")}FOREIGN KEY ({Columns(fk.Columns)}) " +
        $"REFERENCES {Quote(fk.PrincipalTable)} ({Columns(fk.PrincipalColumns)}) ON DELETE {fk.OnDelete};";

    /// <summary>Recreates a missing unique constraint; null where constraints cannot be added (SQLite).</summary>
    public virtual string? AddUnique(string table, DbOpsUniqueShape unique) =>
        $"ALTER TABLE {Quote(table)} ADD {(unique.Name is null ? "" : $"CONSTRAINT {Quote(unique.Name)} ")}UNIQUE ({Columns(unique.Columns)});";

    /// <summary>Runs a catalog query (with <c>@t</c> bound to <paramref name="parameter"/> when given) and returns its rows, NULL as null.</summary>
    protected static async Task<List<object?[]>> QueryAsync(DbConnection connection, string sql, string? parameter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@t";
            p.Value = parameter;
            command.Parameters.Add(p);
        }
        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A table being put together from catalog queries that each return one kind of object for every table.</summary>
    protected sealed class TableParts
    {
        /// <summary>Columns in table order.</summary>
        public List<DbOpsColumnShape> Columns { get; } = [];
        /// <summary>Primary key columns.</summary>
        public IReadOnlyList<string> PrimaryKey { get; set; } = [];
        /// <summary>Unique constraints.</summary>
        public List<DbOpsUniqueShape> Uniques { get; } = [];
        /// <summary>Indexes.</summary>
        public List<DbOpsIndexShape> Indexes { get; } = [];
        /// <summary>Foreign keys.</summary>
        public List<DbOpsForeignKeyShape> ForeignKeys { get; } = [];
        /// <summary>Checks.</summary>
        public List<DbOpsCheckShape> Checks { get; } = [];

        /// <summary>The table.</summary>
        public DbOpsTableShape ToShape(string name) => new(name, Columns, PrimaryKey, Uniques, Indexes, ForeignKeys, Checks);
    }

    /// <summary>
    /// The user tables named by the first column of <paramref name="tablesSql"/>'s rows, each with its columns from
    /// <paramref name="columnsSql"/> (rows of table, column, store type, nullable, default SQL, in column order).
    /// </summary>
    protected static async Task<SortedDictionary<string, TableParts>> TablesAsync(DbConnection connection, string tablesSql, string columnsSql,
        CancellationToken cancellationToken)
    {
        var tables = new SortedDictionary<string, TableParts>(StringComparer.Ordinal);
        foreach (var r in await QueryAsync(connection, tablesSql, null, cancellationToken).ConfigureAwait(false))
            if (!IsBookkeeping((string)r[0]!)) tables[(string)r[0]!] = new TableParts();
        foreach (var r in await QueryAsync(connection, columnsSql, null, cancellationToken).ConfigureAwait(false))
            Part(tables, r[0])?.Columns.Add(new DbOpsColumnShape((string)r[1]!, (string)r[2]!, (bool)r[3]!, r[4] as string));
        return tables;
    }

    /// <summary>The parts of the table a catalog row names, or null for a table that is not read (bookkeeping).</summary>
    protected static TableParts? Part(SortedDictionary<string, TableParts> tables, object? table)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return tables.TryGetValue((string)table!, out var p) ? p : null;
    }

    /// <summary>The shape of tables put together by name.</summary>
    protected static DbOpsSchemaShape Shape(SortedDictionary<string, TableParts> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return new DbOpsSchemaShape([.. tables.Select(t => t.Value.ToShape(t.Key))]);
    }

    /// <summary>The quoted, comma-separated column list.</summary>
    protected string Columns(IEnumerable<string> columns) => string.Join(", ", columns.Select(Quote));

    /// <summary>The delete rule in one spelling (<c>CASCADE</c>, <c>SET NULL</c>, ...); catalogs use codes or other words.</summary>
    public static string DeleteRule(string rule) => rule.Trim().ToUpperInvariant().Replace('_', ' ') switch
    {
        "A" or "NOACTION" or "" => "NO ACTION",
        "R" => "RESTRICT",
        "C" => "CASCADE",
        "N" or "SETNULL" => "SET NULL",
        "D" or "SETDEFAULT" => "SET DEFAULT",
        var r => r,
    };

    /// <summary><paramref name="sql"/> in one pair of parentheses (not two when it already has them).</summary>
    public static string Parenthesized(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var s = sql.Trim();
        return s.Length >= 2 && s[0] == '(' && s[^1] == ')' && Encloses(s) ? s : "(" + s + ")";
    }

    private static string StripParens(string s)
    {
        while (s.Length >= 2 && s[0] == '(' && s[^1] == ')' && Encloses(s)) s = s[1..^1].Trim();
        return s;
    }

    // True when the parenthesis at 0 closes at the end (not "(a) + (b)").
    private static bool Encloses(string s)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\'') inString = !inString;
            if (inString) continue;
            if (s[i] == '(') depth++;
            else if (s[i] == ')' && --depth == 0 && i < s.Length - 1) return false;
        }
        return true;
    }

    // '-100'::integer -> -100 (PostgreSQL quotes negative numbers it casts).
    private static string StripCasts(string s) => Casts().Replace(QuotedNumberCast().Replace(s, "$1::"), "");

    // 'it''s' -> it's; E'a\nb' -> a<newline>b; null when s is not exactly one string literal.
    private static string? StringLiteral(string s)
    {
        var escapes = false;
        if (s.Length >= 3 && (s[0] is 'E' or 'e' or 'N') && s[1] == '\'') { escapes = s[0] != 'N'; s = s[1..]; }
        if (s.Length < 2 || s[0] != '\'' || s[^1] != '\'') return null;
        var b = new StringBuilder();
        for (var i = 1; i < s.Length - 1; i++)
        {
            if (s[i] == '\'')
            {
                if (s[i + 1] != '\'') return null;
                i++;
            }
            else if (escapes && s[i] == '\\' && i + 1 < s.Length - 1)
            {
                i++;
                b.Append(s[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var c => c });
                continue;
            }
            b.Append(s[i]);
        }
        return b.ToString();
    }

    [GeneratedRegex(@"'(-?\d+(?:\.\d+)?)'::")]
    private static partial Regex QuotedNumberCast();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    // ::text, ::character varying, ::timestamp with time zone, ::numeric(12,2), ::"Color", ::text[]
    [GeneratedRegex(@"::\s*(""[^""]+""|[a-zA-Z_][\w]*(\s+(varying|precision|without|with|time|zone)\b)*)(\s*\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])?")]
    private static partial Regex Casts();

    // TIMESTAMPTZ '2024-01-02', DATE '2024-02-29', TIME '13:45:30', UUID '...', X'...' is not one (binary stays as is).
    [GeneratedRegex(@"^(?i:timestamp with time zone|timestamp without time zone|timestamptz|timestamp|date|time|uuid|interval|bytea)\s+(?<q>[eE]?'.*')$", RegexOptions.Singleline)]
    private static partial Regex TypedLiteral();
}
