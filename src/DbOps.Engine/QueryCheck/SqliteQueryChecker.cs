using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using DbOps.Schema;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DbOps.Engine.QueryCheck;

/// <summary>
/// Checks named queries at build time (DBOPS5xxx): creates an in-memory SQLite database from the schema's SQLite
/// create script (whatever the schema's provider), then compiles every query with <c>sqlite3_prepare_v2</c> and
/// compares the prepared statements' result columns with <c>returns</c>. Statements are only prepared, never stepped:
/// no query runs, so DML has no effect and nothing is written anywhere.
/// </summary>
/// <remarks>
/// For a schema whose provider is not SQLite, SQL that SQLite cannot compile is reported as the warning DBOPS5005
/// ("not checked") instead of the error DBOPS5001, since it is written for PostgreSQL/SQL Server.
/// </remarks>
internal static class SqliteQueryChecker
{
    /// <summary>Checks every query of <paramref name="schema"/>; diagnostics point at each query's <c>sql:</c> value.</summary>
    public static IReadOnlyList<Diagnostic> Check(SchemaModel schema) => Check(schema, null);

    /// <summary>
    /// As <see cref="Check(SchemaModel)"/>; with the schema files' texts (as given to <see cref="SchemaLoader.Load"/>),
    /// a compile error points at the exact line and column inside the <c>sql:</c> value instead of the value's start.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(SchemaModel schema, IReadOnlyList<SchemaSource>? sources)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = new List<Diagnostic>();
        if (schema.Queries.Count == 0) return result;

        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        if (CreateSchema(connection, schema) is { } failure)
        {
            result.Add(QueryDiagnostics.SchemaNotLoadable(schema.Queries[0].SqlLocation, failure));
            return result;
        }

        var locator = new SqlLocator(sources);
        foreach (var query in schema.Queries)
        {
            try
            {
                CheckQuery(connection.Handle!, schema.Provider, query, locator, result);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A checker bug must never break the build: say that the query was not checked.
                result.Add(QueryDiagnostics.CheckerFailed(query.SqlLocation, query.Name, $"{ex.GetType().Name}: {ex.Message}"));
            }
        }
        return result;
    }

    /// <summary>Runs the SQLite create script; on failure retries without user-written SQL fragments. Null on success, else SQLite's message.</summary>
    private static string? CreateSchema(SqliteConnection connection, SchemaModel schema)
    {
        string? first;
        try
        {
            Execute(connection, DdlGenerator.CreateScript(schema, DbProvider.Sqlite));
            return null;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            first = Message(ex);
        }
        // Hand-written CHECKs, index filters and default expressions may be written for another provider
        // (e.g. PostgreSQL casts); none of them changes what a query compiles to, so leave them out and retry.
        try
        {
            Execute(connection, DdlGenerator.CreateScript(WithoutProviderSql(schema), DbProvider.Sqlite));
            return null;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return first;
        }
    }

    private static void Execute(SqliteConnection connection, string script)
    {
        // A failed first attempt may have created some tables: start from an empty database.
        using (var drop = connection.CreateCommand())
        {
            drop.CommandText = "PRAGMA foreign_keys = OFF";
            drop.ExecuteNonQuery();
        }
        var tables = new List<(string Type, string Name)>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT type, name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (type, name) in tables)
        {
            using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP {(type == "view" ? "VIEW" : "TABLE")} IF EXISTS \"{name.Replace("\"", "\"\"")}\"";
            drop.ExecuteNonQuery();
        }
        using var command = connection.CreateCommand();
        command.CommandText = script;
        command.ExecuteNonQuery();
    }

    private static string Message(Exception ex) =>
        (ex is SqliteException s ? raw.sqlite3_errstr(s.SqliteErrorCode).utf8_to_string() + ": " + Unwrap(s.Message) : ex.Message).TrimEnd('.');

    /// <summary>Microsoft.Data.Sqlite's "SQLite Error 1: 'no such table: x'." → "no such table: x".</summary>
    private static string Unwrap(string message)
    {
        var start = message.IndexOf('\'');
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : message;
    }

    private static void CheckQuery(sqlite3 db, DbProvider provider, QueryModel query, SqlLocator locator, List<Diagnostic> result)
    {
        var shape = Compile(db, query.Sql);
        if (shape.Error is { } error)
        {
            var at = locator.Locate(query, error.Offset >= 0 ? error.Offset : GuessOffset(query.Sql, error.Message));
            result.Add(provider == DbProvider.Sqlite
                ? QueryDiagnostics.DoesNotCompile(at, query.Name, error.Message)
                : QueryDiagnostics.NotChecked(at, query.Name, provider, error.Message));
            return;
        }

        if (provider == DbProvider.Sqlite)
        {
            foreach (var (name, offset) in shape.UnboundParameters)
                result.Add(QueryDiagnostics.UnboundParameter(locator.Locate(query, offset), query.Name, name));
        }

        var returns = query.Returns;
        var columns = shape.Columns;
        if (returns is null)
        {
            if (columns is not null && shape.ResultIsReadOnly)
                result.Add(QueryDiagnostics.RowsButNoReturns(query.SqlLocation, query.Name, columns));
            return;
        }
        var returnsAt = returns.Location.Line > 0 ? returns.Location : query.SqlLocation;
        if (columns is null)
        {
            result.Add(QueryDiagnostics.ReturnsButNoRows(returnsAt, query.Name));
            return;
        }
        if (returns.IsScalar)
        {
            if (columns.Count != 1) result.Add(QueryDiagnostics.ScalarColumnCount(returnsAt, query.Name, columns));
            return;
        }

        var declared = returns.Columns;
        if (columns.Count != declared.Count)
        {
            result.Add(QueryDiagnostics.ColumnCountMismatch(returnsAt, query.Name, columns, declared.Select(c => c.Name).ToList()));
            return;
        }
        for (var i = 0; i < columns.Count; i++)
        {
            var actual = columns[i];
            if (!IsPlainName(actual)) continue; // an expression without an alias: nothing to compare
            var key = NameKey(actual);
            if (key == NameKey(declared[i].Name)) continue;
            var other = -1;
            for (var j = 0; j < declared.Count && other < 0; j++)
                if (j != i && NameKey(declared[j].Name) == key) other = j;
            var at = declared[i].Location.Line > 0 ? declared[i].Location : returnsAt;
            result.Add(QueryDiagnostics.ColumnNameMismatch(at, query.Name, i + 1, actual, declared[i].Name,
                other < 0 ? null : declared[other].Name, other + 1));
        }
    }

    private static readonly Regex s_namedToken = new(
        @"^(?:no such (?:table|column|function|collation sequence|module): |ambiguous column name: |unknown table option: )(?<t>.+)$|^near ""(?<t>[^""]+)"": syntax error$",
        RegexOptions.CultureInvariant);

    /// <summary>Where the SQL holds the name SQLite's message is about (when SQLite gives no offset); -1 when not found.</summary>
    internal static int GuessOffset(string sql, string message)
    {
        var m = s_namedToken.Match(message);
        if (!m.Success) return -1;
        var token = m.Groups["t"].Value;
        for (var i = sql.IndexOf(token, StringComparison.OrdinalIgnoreCase); i >= 0; i = sql.IndexOf(token, i + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = i == 0 ? ' ' : sql[i - 1];
            var after = i + token.Length < sql.Length ? sql[i + token.Length] : ' ';
            if (!IsWordChar(before) && !IsWordChar(after)) return i;
        }
        return -1;

        static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
    }

    /// <summary>Column names compare without '_' and case: customer_id = CustomerId = CUSTOMERID.</summary>
    internal static string NameKey(string name) => name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    private static bool IsPlainName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private sealed record CompileError(string Message, int Offset);

    /// <summary>
    /// What prepared statements tell: the first statement that returns columns defines the result (as with
    /// Microsoft.Data.Sqlite's reader); null Columns = no statement returns rows.
    /// </summary>
    private sealed class Shape
    {
        public CompileError? Error { get; set; }
        public List<string>? Columns { get; set; }
        public bool ResultIsReadOnly { get; set; }
        public List<(string Name, int Offset)> UnboundParameters { get; } = [];
    }

    /// <summary>Prepares each statement of <paramref name="sql"/> in turn (never steps one) and reads its result columns.</summary>
    private static Shape Compile(sqlite3 db, string sql)
    {
        var shape = new Shape();
        var bytes = Encoding.UTF8.GetBytes(sql);
        var position = 0;
        while (position < bytes.Length)
        {
            var rc = raw.sqlite3_prepare_v2(db, new ReadOnlySpan<byte>(bytes, position, bytes.Length - position), out sqlite3_stmt stmt, out ReadOnlySpan<byte> tail);
            using (stmt)
            {
                if (rc != raw.SQLITE_OK)
                {
                    var message = raw.sqlite3_errmsg(db).utf8_to_string();
                    var offset = ErrorOffset(db);
                    var charOffset = offset < 0 ? -1 : Encoding.UTF8.GetCharCount(bytes, 0, Math.Min(bytes.Length, position + offset));
                    shape.Error = new CompileError(message, charOffset);
                    return shape;
                }
                var statementStart = position;
                position = bytes.Length - tail.Length;
                if (stmt is null || stmt.IsInvalid) continue; // only whitespace or a comment was left

                var count = raw.sqlite3_column_count(stmt);
                if (count > 0 && shape.Columns is null)
                {
                    shape.Columns = [.. Enumerable.Range(0, count).Select(i => raw.sqlite3_column_name(stmt, i).utf8_to_string() ?? "")];
                    shape.ResultIsReadOnly = raw.sqlite3_stmt_readonly(stmt) != 0;
                }

                var parameters = raw.sqlite3_bind_parameter_count(stmt);
                var statementText = Encoding.UTF8.GetString(bytes, statementStart, position - statementStart);
                var statementCharStart = Encoding.UTF8.GetCharCount(bytes, 0, statementStart);
                for (var i = 1; i <= parameters; i++)
                {
                    var name = raw.sqlite3_bind_parameter_name(stmt, i).utf8_to_string();
                    if (name is not null && name.StartsWith('@')) continue;
                    var display = name ?? "?";
                    var at = statementText.IndexOf(display, StringComparison.Ordinal);
                    if (!shape.UnboundParameters.Any(p => p.Name == display))
                        shape.UnboundParameters.Add((display, at < 0 ? -1 : statementCharStart + at));
                }
            }
        }
        return shape;
    }

    // sqlite3_error_offset (SQLite 3.38+) is not wrapped by SQLitePCLRaw 2.1; the bundled e_sqlite3 exports it.
    [DllImport("e_sqlite3", EntryPoint = "sqlite3_error_offset", CallingConvention = CallingConvention.Cdecl)]
    private static extern int NativeErrorOffset(IntPtr db);

    private static bool s_noErrorOffset;

    /// <summary>Byte offset into the statement being prepared of the token SQLite's last error is about; -1 when unknown.</summary>
    private static int ErrorOffset(sqlite3 db)
    {
        if (s_noErrorOffset) return -1;
        try
        {
            return NativeErrorOffset(db.DangerousGetHandle());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            s_noErrorOffset = true;
            return -1;
        }
    }

    /// <summary>A copy of the schema without hand-written provider SQL (CHECKs, partial index filters, default expressions).</summary>
    private static SchemaModel WithoutProviderSql(SchemaModel schema) => SchemaRewrite.With(schema,
        [.. schema.Entities.Select(e => SchemaRewrite.Entity(e,
            checks: [],
            indexes: [.. e.Indexes.Select(i => SchemaRewrite.Index(i, dropWhere: true))],
            columns: [.. e.Columns.Select(c => SchemaRewrite.Column(c, dropDefaultSql: true))]))]);
}
