using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace DbOps.Runtime;

/// <summary>SQL Server (Microsoft.Data.SqlClient) services for generated code and the migrator.</summary>
public sealed class DbOpsSqlServerServices : DbOpsProviderServices
{
    /// <summary>The one instance generated code uses.</summary>
    public static DbOpsSqlServerServices Instance { get; } = new();

    private DbOpsSqlServerServices()
    {
    }

    /// <inheritdoc />
    public override DbOpsProvider Provider => DbOpsProvider.SqlServer;

    /// <inheritdoc />
    public override DbOpsSchemaReader SchemaReader => SqlServerSchemaReader.Instance;

    /// <inheritdoc />
    public override DbDataSource CreateDataSource(string connectionString) => new SqlServerDbOpsDataSource(connectionString);

    /// <inheritdoc />
    public override DbOpsException? Translate(Exception exception, DbOpsTableInfo? table, DbOpsStatementKind kind)
    {
        if (exception is not SqlException e) return null;
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

    /// <inheritdoc />
    public override bool IsTransient(Exception exception) => exception is SqlException { Number: 1205 }; // deadlock victim

    /// <summary>The temporary table bulk updates and deletes stage rows in (session-local; dropped after each batch).</summary>
    public const string StageTable = "#dbops_bulk_stage";

    /// <inheritdoc />
    /// <remarks>
    /// Updates and deletes: SqlBulkCopy of the written columns into <see cref="StageTable"/> (shaped like the target by
    /// <see cref="StagedSql{T}"/>), then one <c>UPDATE ... FROM</c> or <c>DELETE ... FROM</c> join: one parameter-free
    /// statement whatever the number of rows, in the caller's transaction. Rows stream; nothing is buffered. Upserts keep
    /// the generic path (one prepared <c>MERGE</c> per row): a staged <c>MERGE</c> would lose the per-row defaults and
    /// explicit identity values the generated statement handles.
    /// </remarks>
    public override async Task<long> WriteManyAsync<T>(DbConnection connection, DbTransaction transaction, DbOpsBulkTable<T> table,
        DbOpsBulkKind kind, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (StagedSql(table, kind) is not { } statements)
            return await base.WriteManyAsync(connection, transaction, table, kind, rows, cancellationToken).ConfigureAwait(false);
        var (create, apply) = statements;
        var sql = (SqlConnection)connection;
        var tx = (SqlTransaction)transaction;
        await ExecAsync(create).ConfigureAwait(false);
        var written = table.Written;
        var values = table.Values;
        using (var bulk = new SqlBulkCopy(sql, SqlBulkCopyOptions.Default, tx) { DestinationTableName = StageTable, EnableStreaming = true, BulkCopyTimeout = 0 })
        {
            for (var i = 0; i < written.Length; i++) bulk.ColumnMappings.Add(i, i);
            await using var staged = new DbOpsBulkReader<T>(rows, [.. written.Select(i => table.Columns[i])], (row, i) => values(row, written[i]),
                table.Prepare ?? (static _ => { }), cancellationToken);
            await bulk.WriteToServerAsync(staged, cancellationToken).ConfigureAwait(false);
        }
        var count = await ExecAsync(apply).ConfigureAwait(false);
        await ExecAsync($"DROP TABLE {StageTable};").ConfigureAwait(false);
        return count;

        async Task<int> ExecAsync(string text)
        {
            await using var command = new SqlCommand(text, sql, tx) { CommandTimeout = 0 };
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The staged statements of a bulk update or delete on SQL Server: the empty stage table with the written columns'
    /// types (<c>SELECT ... INTO</c> of a <c>UNION ALL</c>, so an IDENTITY property is not copied and explicit keys fit),
    /// and the one join that applies it. Null for upserts, which take the generic path.
    /// </summary>
    public static (string Create, string Apply)? StagedSql<T>(DbOpsBulkTable<T> table, DbOpsBulkKind kind)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (kind == DbOpsBulkKind.Upsert) return null;
        var columns = string.Join(", ", table.Written.Select(i => table.Columns[i]));
        var create = $"SELECT {columns} INTO {StageTable} FROM {table.Table} WHERE 1 = 0 UNION ALL SELECT {columns} FROM {table.Table} WHERE 1 = 0;";
        var on = string.Join(" AND ", table.Keys.Select(k => $"t.{table.Columns[k]} = s.{table.Columns[k]}"));
        if (kind == DbOpsBulkKind.Delete) return (create, $"DELETE t FROM {table.Table} AS t INNER JOIN {StageTable} AS s ON {on};");
        var set = string.Join(", ", table.Written.Where(i => !table.Keys.Contains(i)).Select(i => $"t.{table.Columns[i]} = s.{table.Columns[i]}"));
        return (create, $"UPDATE t SET {set} FROM {table.Table} AS t INNER JOIN {StageTable} AS s ON {on};");
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
}
