using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DbOps.Runtime;

/// <summary>Maps provider exceptions to the DbOps exception types. Called by generated code in <c>catch ... when</c> filters.</summary>
public static class DbOpsErrors
{
    /// <summary>
    /// The DbOps exception for a constraint violation reported by <paramref name="exception"/>, or null when it is not one
    /// (the original exception then propagates unchanged).
    /// </summary>
    public static DbOpsException? Translate(Exception exception, DbOpsTableInfo? table, DbOpsStatementKind kind) => exception switch
    {
        SqliteException e => FromSqlite(e, table, kind),
        PostgresException e => FromPostgres(e, table),
        SqlException e => FromSqlServer(e, table),
        _ => null,
    };

    /// <summary>
    /// <see cref="Translate(Exception, DbOpsTableInfo?, DbOpsStatementKind)"/> for a statement that may touch any of
    /// <paramref name="tables"/> (a named query): the table is taken from the error (SQLite names it in unique violations).
    /// </summary>
    public static DbOpsException? Translate(Exception exception, IReadOnlyList<DbOpsTableInfo> tables, DbOpsStatementKind kind)
    {
        ArgumentNullException.ThrowIfNull(tables);
        DbOpsTableInfo? table = null;
        if (exception is SqliteException && AfterColon(exception.Message) is { } list)
        {
            // "UNIQUE constraint failed: customers.email, customers.name"
            var first = list.Split(',')[0].Trim();
            var dot = first.LastIndexOf('.');
            if (dot > 0)
            {
                var name = first[..dot];
                for (var i = 0; i < tables.Count && table is null; i++)
                    if (string.Equals(tables[i].Table, name, StringComparison.Ordinal)) table = tables[i];
            }
        }
        return Translate(exception, table, kind);
    }

    // SQLite extended result codes.
    private const int SqliteConstraintCheck = 275, SqliteConstraintForeignKey = 787, SqliteConstraintPrimaryKey = 1555,
        SqliteConstraintUnique = 2067, SqliteConstraintNotNull = 1299;

    private static DbOpsException? FromSqlite(SqliteException e, DbOpsTableInfo? table, DbOpsStatementKind kind)
    {
        var code = e.SqliteExtendedErrorCode;
        if (e.SqliteErrorCode == 19 && code == 19 || code == 1811)
        {
            // Plain SQLITE_CONSTRAINT or SQLITE_CONSTRAINT_TRIGGER (e.g. ON DELETE RESTRICT): decide by the message.
            if (e.Message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal)) code = SqliteConstraintForeignKey;
            else if (e.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal)) code = SqliteConstraintUnique;
            else if (e.Message.Contains("CHECK constraint failed", StringComparison.Ordinal)) code = SqliteConstraintCheck;
        }
        switch (code)
        {
            case SqliteConstraintUnique:
            case SqliteConstraintPrimaryKey:
            {
                // "UNIQUE constraint failed: customers.email, customers.name"
                var name = MapSqliteUnique(e.Message, table, code == SqliteConstraintPrimaryKey);
                return new DbOpsUniqueViolationException(
                    $"Unique constraint '{name}' violated{On(table)}: {e.Message}", name, table?.Table, e);
            }
            case SqliteConstraintForeignKey:
            {
                var candidates = table is null ? [] : kind switch
                {
                    DbOpsStatementKind.Write => table.ForeignKeys,
                    DbOpsStatementKind.Delete => table.ReferencedBy,
                    _ => [],
                };
                var name = candidates.Length == 1 ? candidates[0] : null;
                return new DbOpsForeignKeyViolationException(
                    $"Foreign key {(name is null ? "" : $"'{name}' ")}violated{On(table)}: {e.Message}", name, table?.Table, e);
            }
            case SqliteConstraintCheck:
            {
                // "CHECK constraint failed: ck_name" (older SQLite versions print the expression for unnamed checks).
                var name = AfterColon(e.Message);
                return new DbOpsCheckViolationException($"Check constraint '{name}' violated{On(table)}: {e.Message}", name, table?.Table, e);
            }
            default:
                _ = SqliteConstraintNotNull;
                return null;
        }
    }

    private static string? AfterColon(string message)
    {
        // Microsoft.Data.Sqlite messages look like "SQLite Error 19: 'CHECK constraint failed: ck_x'."
        var i = message.IndexOf("failed:", StringComparison.Ordinal);
        if (i < 0) return null;
        var rest = message[(i + "failed:".Length)..].Trim();
        var end = rest.IndexOf('\'');
        if (end >= 0) rest = rest[..end];
        return rest.Trim().TrimEnd('.');
    }

    private static string? MapSqliteUnique(string message, DbOpsTableInfo? table, bool primaryKey)
    {
        var list = AfterColon(message);
        if (list is null) return null;
        var columns = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.LastIndexOf('.') is var dot and >= 0 ? c[(dot + 1)..] : c)
            .ToArray();
        if (table is not null)
        {
            if (primaryKey && table.UniqueKeys.Length > 0) return table.UniqueKeys[0].Name;
            foreach (var key in table.UniqueKeys)
                if (key.Columns.Length == columns.Length && key.Columns.All(c => columns.Contains(c, StringComparer.Ordinal)))
                    return key.Name;
        }
        return list;
    }

    private static DbOpsException? FromPostgres(PostgresException e, DbOpsTableInfo? table)
    {
        var t = e.TableName ?? table?.Table;
        return e.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => new DbOpsUniqueViolationException(
                $"Unique constraint '{e.ConstraintName}' violated on '{t}': {e.MessageText} {e.Detail}".TrimEnd(), e.ConstraintName, t, e),
            PostgresErrorCodes.ForeignKeyViolation => new DbOpsForeignKeyViolationException(
                $"Foreign key '{e.ConstraintName}' violated on '{t}': {e.MessageText} {e.Detail}".TrimEnd(), e.ConstraintName, t, e),
            PostgresErrorCodes.CheckViolation => new DbOpsCheckViolationException(
                $"Check constraint '{e.ConstraintName}' violated on '{t}': {e.MessageText}", e.ConstraintName, t, e),
            _ => null,
        };
    }

    private static DbOpsException? FromSqlServer(SqlException e, DbOpsTableInfo? table)
    {
        switch (e.Number)
        {
            case 2627: // Violation of UNIQUE KEY / PRIMARY KEY constraint 'x'. Cannot insert duplicate key in object 'dbo.t'.
                return new DbOpsUniqueViolationException(e.Message, Quoted(e.Message, '\'', "constraint"), table?.Table, e);
            case 2601: // Cannot insert duplicate key row in object 'dbo.t' with unique index 'x'.
                return new DbOpsUniqueViolationException(e.Message, Quoted(e.Message, '\'', "unique index"), table?.Table, e);
            case 547: // The INSERT statement conflicted with the FOREIGN KEY|REFERENCE|CHECK constraint "x".
                var name = Quoted(e.Message, '"', "constraint");
                return e.Message.Contains("CHECK constraint", StringComparison.Ordinal)
                    ? new DbOpsCheckViolationException(e.Message, name, table?.Table, e)
                    : new DbOpsForeignKeyViolationException(e.Message, name, table?.Table, e);
            default:
                return null;
        }
    }

    private static string? Quoted(string message, char quote, string after)
    {
        var i = message.IndexOf(after, StringComparison.Ordinal);
        if (i < 0) return null;
        var start = message.IndexOf(quote, i);
        if (start < 0) return null;
        var end = message.IndexOf(quote, start + 1);
        return end < 0 ? null : message[(start + 1)..end];
    }

    private static string On(DbOpsTableInfo? table) => table is null ? "" : $" on '{table.Table}'";

    /// <summary>True for errors a transaction may be retried after: serialization failures and deadlocks (and SQLite busy).</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException e => e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqlException e => e.Number is 1205,
        SqliteException e => e.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        // Not DbException.IsTransient: providers set it for broken connections and timeouts, and after a COMMIT that
        // failed that way the transaction may have committed, so running the unit of work again could apply it twice.
        _ => false,
    };
}
