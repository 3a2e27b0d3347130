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
    /// <remarks>An int: what <c>TOP (@pN)</c> takes.</remarks>
    public override void AddLimitParameter(DbCommand command, int index, int limit)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Parameters.Add(new SqlParameter(ParameterName(index), System.Data.SqlDbType.Int) { Value = limit });
    }

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
            case 8672 when table?.UniqueKeys is [var key, ..]: // MERGE reached one target row twice: a repeated key in a bulk upsert
                return DbOpsUniqueViolationException.RepeatedKeyInBatch(key, table.Table, e.Message, e);
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

    /// <summary>The session temporary table bulk writes stage rows in (dropped after each batch).</summary>
    public const string StageTable = "#" + DbOpsBulk.StageTable;

    /// <inheritdoc />
    /// <remarks>
    /// SqlBulkCopy of the written columns into <see cref="StageTable"/> (shaped like the target by <see cref="StageSql{T}"/>),
    /// then the one generated statement over it (<see cref="DbOpsBulkTable{T}.Staged"/>: an <c>UPDATE</c> or <c>DELETE</c>
    /// join, or a <c>MERGE</c>), in the caller's transaction: parameter-free whatever the number of rows. Rows stream;
    /// nothing is buffered.
    /// </remarks>
    public override async Task<long> WriteManyAsync<T>(DbConnection connection, DbTransaction transaction, DbOpsBulkTable<T> table,
        DbOpsBulkKind kind, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (table.Staged is null)
            return await base.WriteManyAsync(connection, transaction, table, kind, rows, cancellationToken).ConfigureAwait(false);
        var sql = (SqlConnection)connection;
        var tx = (SqlTransaction)transaction;
        await ExecAsync(StageSql(table)).ConfigureAwait(false);
        var written = table.Written;
        var values = table.Values;
        using (var bulk = new SqlBulkCopy(sql, SqlBulkCopyOptions.KeepNulls, tx) { DestinationTableName = StageTable, EnableStreaming = true, BulkCopyTimeout = 0 })
        {
            for (var i = 0; i < written.Length; i++) bulk.ColumnMappings.Add(i, i);
            await using var staged = new DbOpsBulkReader<T>(rows, [.. written.Select(i => table.Columns[i])], (row, i) => values(row, written[i]),
                table.Prepare ?? (static _ => { }), cancellationToken);
            await bulk.WriteToServerAsync(staged, cancellationToken).ConfigureAwait(false);
        }
        var count = await ExecAsync(table.Staged).ConfigureAwait(false);
        await ExecAsync($"DROP TABLE {StageTable};").ConfigureAwait(false);
        return count;

        async Task<int> ExecAsync(string text)
        {
            await using var command = new SqlCommand(text, sql, tx) { CommandTimeout = 0 };
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The empty stage table with the written columns' types, in <see cref="DbOpsBulkTable{T}.Written"/> order: a
    /// <c>SELECT ... INTO</c> of a <c>UNION ALL</c>, so the IDENTITY property is not copied and explicit keys fit.
    /// </summary>
    public static string StageSql<T>(DbOpsBulkTable<T> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = string.Join(", ", table.Written.Select(i => table.Columns[i]));
        return $"SELECT {columns} INTO {StageTable} FROM {table.Table} WHERE 1 = 0 UNION ALL SELECT {columns} FROM {table.Table} WHERE 1 = 0;";
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
