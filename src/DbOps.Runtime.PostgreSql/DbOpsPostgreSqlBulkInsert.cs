using System.Data.Common;
using Npgsql;

namespace DbOps.Runtime;

/// <summary>
/// PostgreSQL bulk insert with binary COPY. When a column has a database default that must apply to unset values
/// (COPY cannot), the rows are copied into a temporary staging table first and moved with one INSERT ... SELECT
/// (<paramref name="stageCreateSql"/>, <paramref name="stageInsertSql"/>), in one transaction.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
/// <param name="copySql">The <c>COPY ... FROM STDIN (FORMAT BINARY)</c> statement.</param>
/// <param name="columns">The number of copied columns.</param>
/// <param name="writeColumn">Writes column <c>i</c> of a row (typed, or NULL) to the importer; not an async method, so no state machine.</param>
/// <param name="stageCreateSql">Creates the staging table, or null to copy straight into the table.</param>
/// <param name="stageInsertSql">Moves the staged rows into the table (and drops the staging table).</param>
public sealed class DbOpsPostgreSqlBulkInsert<T>(string copySql, int columns, Func<NpgsqlBinaryImporter, T, int, CancellationToken, Task> writeColumn,
    string? stageCreateSql = null, string? stageInsertSql = null) : DbOpsBulkInsert<T>
    where T : class
{
    /// <inheritdoc />
    public override async Task<long> WriteAsync(DbOpsSession session, DbConnection connection, DbOpsRows<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(rows);
        var npgsql = (NpgsqlConnection)connection;
        DbTransaction? transaction = null;
        var owned = false;
        if (stageCreateSql is not null) (transaction, owned) = await session.BeginIfNeededAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            if (stageCreateSql is not null) await ExecuteAsync(session, connection, transaction, stageCreateSql, cancellationToken).ConfigureAwait(false);
            long count = 0;
            await using (var importer = await npgsql.BeginBinaryImportAsync(copySql, cancellationToken).ConfigureAwait(false))
            {
                while (await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    var row = rows.Current;
                    await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < columns; i++) await writeColumn(importer, row, i, cancellationToken).ConfigureAwait(false);
                    count++;
                }
                await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            if (stageInsertSql is not null) await ExecuteAsync(session, connection, transaction, stageInsertSql, cancellationToken).ConfigureAwait(false);
            if (owned) await transaction!.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
        finally
        {
            if (owned) await transaction!.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbOpsSession session, DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = session.CreateCommand(connection, sql);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
