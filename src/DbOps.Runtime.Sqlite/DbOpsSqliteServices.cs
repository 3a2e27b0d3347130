using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DbOps.Runtime;

/// <summary>SQLite (Microsoft.Data.Sqlite) services for generated code and the migrator.</summary>
public sealed class DbOpsSqliteServices : DbOpsProviderServices
{
    /// <summary>The one instance generated code uses.</summary>
    public static DbOpsSqliteServices Instance { get; } = new();

    private DbOpsSqliteServices()
    {
    }

    /// <inheritdoc />
    public override DbOpsProvider Provider => DbOpsProvider.Sqlite;

    /// <inheritdoc />
    public override DbOpsSchemaReader SchemaReader => SqliteSchemaReader.Instance;

    /// <inheritdoc />
    /// <remarks>A <see cref="SqliteDbOpsDataSource"/>: foreign keys always enforced, busy timeout from the connection string.</remarks>
    public override DbDataSource CreateDataSource(string connectionString) => new SqliteDbOpsDataSource(connectionString);

    // SQLite extended result codes.
    private const int ConstraintCheck = 275, ConstraintForeignKey = 787, ConstraintPrimaryKey = 1555, ConstraintUnique = 2067,
        ConstraintTrigger = 1811, Busy = 5, Locked = 6, CantOpen = 14, Constraint = 19;

    /// <inheritdoc />
    public override DbOpsException? Translate(Exception exception, DbOpsTableInfo? table, DbOpsStatementKind kind)
    {
        if (exception is not SqliteException e) return null;
        var code = e.SqliteExtendedErrorCode;
        if (e.SqliteErrorCode == Constraint && code == Constraint || code == ConstraintTrigger)
        {
            // Plain SQLITE_CONSTRAINT or SQLITE_CONSTRAINT_TRIGGER (e.g. ON DELETE RESTRICT): decide by the message.
            if (e.Message.Contains("FOREIGN KEY constraint failed", StringComparison.Ordinal)) code = ConstraintForeignKey;
            else if (e.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal)) code = ConstraintUnique;
            else if (e.Message.Contains("CHECK constraint failed", StringComparison.Ordinal)) code = ConstraintCheck;
        }
        switch (code)
        {
            case ConstraintUnique:
            case ConstraintPrimaryKey:
            {
                // "UNIQUE constraint failed: customers.email, customers.name"
                var name = MapUnique(e.Message, table, code == ConstraintPrimaryKey);
                return new DbOpsUniqueViolationException(
                    $"Unique constraint '{name}' violated{On(table)}: {e.Message}", name, table?.Table, e);
            }
            case ConstraintForeignKey:
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
            case ConstraintCheck:
            {
                // "CHECK constraint failed: ck_name" (older SQLite versions print the expression for unnamed checks).
                var name = AfterColon(e.Message);
                return new DbOpsCheckViolationException($"Check constraint '{name}' violated{On(table)}: {e.Message}", name, table?.Table, e);
            }
            default:
                return null;
        }
    }

    /// <inheritdoc />
    /// <remarks>SQLite names the table in unique violations (<c>customers.email</c>); it is looked up in <paramref name="tables"/>.</remarks>
    public override DbOpsException? Translate(Exception exception, IReadOnlyList<DbOpsTableInfo> tables, DbOpsStatementKind kind)
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

    /// <inheritdoc />
    public override bool IsTransient(Exception exception) => IsBusy(exception);

    /// <inheritdoc />
    public override bool IsBusy(Exception exception) => exception is SqliteException { SqliteErrorCode: Busy or Locked };

    /// <inheritdoc />
    /// <remarks>Opens the file read-write without creating it: null when it does not exist.</remarks>
    public override ValueTask<DbConnection?> OpenExistingAsync(DbDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        cancellationToken.ThrowIfCancellationRequested();
        var builder = new SqliteConnectionStringBuilder(dataSource.ConnectionString);
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate) builder.Mode = SqliteOpenMode.ReadWrite;
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return new ValueTask<DbConnection?>(connection);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == CantOpen) // no such file
        {
            connection.Dispose();
            return new ValueTask<DbConnection?>((DbConnection?)null);
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

    private static string? MapUnique(string message, DbOpsTableInfo? table, bool primaryKey)
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

    private static string On(DbOpsTableInfo? table) => table is null ? "" : $" on '{table.Table}'";
}
