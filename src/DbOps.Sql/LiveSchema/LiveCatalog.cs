using System.Data.Common;
using DbOps.Schema.Model;

namespace DbOps.Sql.LiveSchema;

/// <summary>A CHECK constraint of a live table: its name (null when SQLite keeps none) and its expression.</summary>
public sealed record LiveCheck(string Table, string? Name, string Sql);

/// <summary>An object of a live database that is not a table: a trigger, function, procedure or free sequence.</summary>
public sealed record LiveObject(string Kind, string Name);

/// <summary>
/// What EF Core's scaffolding model does not hold, read from the catalog: CHECK constraints, and the triggers, functions
/// and sequences not owned by a column (views come with the scaffolding model). PostgreSQL: the <c>public</c> schema;
/// SQL Server: the default schema.
/// </summary>
public static class LiveCatalog
{
    public static IReadOnlyList<LiveCheck> Checks(DbConnection connection, DbProvider provider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = new List<LiveCheck>();
        switch (provider)
        {
            case DbProvider.Sqlite:
                foreach (var row in Rows(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"))
                    foreach (var (name, sql) in SqliteChecks(row[1]!))
                        result.Add(new LiveCheck(row[0]!, name, sql));
                break;
            case DbProvider.PostgreSql:
                foreach (var row in Rows(connection,
                             "SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con " +
                             "JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace " +
                             "WHERE con.contype = 'c' AND n.nspname = 'public' ORDER BY rel.relname, con.conname"))
                    result.Add(new LiveCheck(row[0]!, row[1], PostgresCheckExpression(row[2]!)));
                break;
            case DbProvider.SqlServer:
                foreach (var row in Rows(connection,
                             "SELECT t.name, c.name, c.definition FROM sys.check_constraints c JOIN sys.tables t ON t.object_id = c.parent_object_id " +
                             "WHERE t.schema_id = SCHEMA_ID() ORDER BY t.name, c.name"))
                    result.Add(new LiveCheck(row[0]!, row[1], Unwrap(row[2]!)));
                break;
        }
        return result;
    }

    /// <summary>SQLite: the WHERE of each partial index (EF Core's SQLite scaffolding does not read it); other providers: none.</summary>
    public static IReadOnlyDictionary<string, string> IndexFilters(DbConnection connection, DbProvider provider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (provider != DbProvider.Sqlite) return result;
        foreach (var row in Rows(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
        {
            var sql = row[1]!;
            var tokens = Tokens(sql);
            var open = tokens.FindIndex(t => t.Text == "(");
            if (open < 0) continue;
            var close = Closing(sql, tokens[open].Start);
            var where = tokens.FindIndex(t => t.Start > close && t.Text.Equals("WHERE", StringComparison.OrdinalIgnoreCase));
            if (close > 0 && where >= 0) result[row[0]!] = sql[(tokens[where].Start + "WHERE".Length)..].Trim().TrimEnd(';').Trim();
        }
        return result;
    }

    public static IReadOnlyList<LiveObject> OtherObjects(DbConnection connection, DbProvider provider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var sql = provider switch
        {
            DbProvider.Sqlite => "SELECT 'trigger', name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
            DbProvider.PostgreSql =>
                "SELECT 'trigger', t.tgname || ' on ' || c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid " +
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = 'public' " +
                "UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, p.proname FROM pg_proc p " +
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' " +
                "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') " +
                "UNION ALL SELECT 'sequence', c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE c.relkind = 'S' AND n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) " +
                "UNION ALL SELECT 'materialized view', matviewname FROM pg_matviews WHERE schemaname = 'public' " +
                "ORDER BY 1, 2",
            DbProvider.SqlServer =>
                "SELECT CASE WHEN o.type = 'TR' THEN 'trigger' WHEN o.type = 'P' THEN 'procedure' WHEN o.type = 'SO' THEN 'sequence' ELSE 'function' END, o.name " +
                "FROM sys.objects o WHERE o.schema_id = SCHEMA_ID() AND o.type IN ('TR', 'P', 'FN', 'IF', 'TF', 'SO') AND o.is_ms_shipped = 0 ORDER BY 1, 2",
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
        };
        return [.. Rows(connection, sql).Select(r => new LiveObject(r[0]!, r[1]!))];
    }

    /// <summary><c>CHECK ((price &gt;= (0)::numeric)) NOT VALID</c> → <c>price &gt;= (0)::numeric</c>.</summary>
    public static string PostgresCheckExpression(string definition)
    {
        var d = definition.Trim();
        if (d.EndsWith(" NOT VALID", StringComparison.Ordinal)) d = d[..^" NOT VALID".Length];
        if (d.StartsWith("CHECK ", StringComparison.Ordinal)) d = d["CHECK ".Length..];
        return Unwrap(d);
    }

    /// <summary>Removes parentheses that wrap the whole expression.</summary>
    public static string Unwrap(string sql)
    {
        var s = sql.Trim();
        while (s.Length >= 2 && s[0] == '(' && Closing(s, 0) == s.Length - 1) s = s[1..^1].Trim();
        return s;
    }

    /// <summary>The CHECK constraints in a SQLite CREATE TABLE statement, with their CONSTRAINT names when given.</summary>
    public static IEnumerable<(string? Name, string Sql)> SqliteChecks(string createTable)
    {
        var tokens = Tokens(createTable);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].Text.Equals("CHECK", StringComparison.OrdinalIgnoreCase) || i + 1 >= tokens.Count || tokens[i + 1].Text != "(") continue;
            var open = tokens[i + 1].Start;
            var close = Closing(createTable, open);
            if (close < 0) yield break;
            string? name = i >= 2 && tokens[i - 2].Text.Equals("CONSTRAINT", StringComparison.OrdinalIgnoreCase) ? Unquote(tokens[i - 1].Text) : null;
            yield return (name, Unwrap(createTable[(open + 1)..close]));
        }
    }

    private static string Unquote(string identifier) =>
        identifier.Length >= 2 && identifier[0] is '"' or '`' or '[' ? identifier[1..^1].Replace("\"\"", "\"") : identifier;

    /// <summary>The index of the parenthesis closing the one at <paramref name="open"/>, skipping quoted text; -1 when none.</summary>
    private static int Closing(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '\'' or '"' or '`') i = EndOfQuoted(s, i, c);
            else if (c == '[') i = EndOfQuoted(s, i, ']');
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return -1;
    }

    private static int EndOfQuoted(string s, int start, char quote)
    {
        for (var i = start + 1; i < s.Length; i++)
        {
            if (s[i] != quote) continue;
            if (quote != ']' && i + 1 < s.Length && s[i + 1] == quote) { i++; continue; }
            return i;
        }
        return s.Length - 1;
    }

    private readonly record struct Token(string Text, int Start);

    /// <summary>Words, quoted identifiers/strings and single punctuation characters, with their offsets.</summary>
    private static List<Token> Tokens(string s)
    {
        var result = new List<Token>();
        for (var i = 0; i < s.Length;)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && i + 1 < s.Length && s[i + 1] == '-')
            {
                while (i < s.Length && s[i] != '\n') i++;
                continue;
            }
            var start = i;
            if (c is '\'' or '"' or '`' or '[') i = EndOfQuoted(s, i, c == '[' ? ']' : c) + 1;
            else if (char.IsLetterOrDigit(c) || c == '_') while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_')) i++;
            else i++;
            result.Add(new Token(s[start..i], start));
        }
        return result;
    }

    private static List<string?[]> Rows(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return rows;
    }
}
