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
/// <param name="columns">The copied columns (indexes in table order), in the order of <paramref name="copySql"/>.</param>
/// <param name="writeColumn">Writes column <c>i</c> (table order) of a row (typed, or NULL) to the importer; with its
/// <c>insert</c> argument true, an unset column with a database default is NULL. Not an async method, so no state machine.
/// The staged bulk update and upsert write through it too (<see cref="WriteColumnAsync"/>), so no value is boxed.</param>
/// <param name="stageCreateSql">Creates the staging table, or null to copy straight into the table.</param>
/// <param name="stageInsertSql">Moves the staged rows into the table (and drops the staging table).</param>
public sealed class DbOpsPostgreSqlBulkInsert<T>(string copySql, int[] columns, Func<NpgsqlBinaryImporter, T, int, bool, CancellationToken, Task> writeColumn,
    string? stageCreateSql = null, string? stageInsertSql = null) : DbOpsBulkInsert<T>, IDbOpsTypedCopy<T>
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
                    for (var i = 0; i < columns.Length; i++) await writeColumn(importer, row, columns[i], true, cancellationToken).ConfigureAwait(false);
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

    /// <inheritdoc />
    public Task WriteColumnAsync(NpgsqlBinaryImporter importer, T row, int column, bool insert, CancellationToken cancellationToken) =>
        writeColumn(importer, row, column, insert, cancellationToken);

    private static async Task ExecuteAsync(DbOpsSession session, DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = session.CreateCommand(connection, sql);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A typed COPY writer of one table's rows, column by index (table order): what the staged bulk writes use.</summary>
/// <typeparam name="T">The row type.</typeparam>
internal interface IDbOpsTypedCopy<in T>
{
    /// <summary>Writes column <paramref name="column"/> (table order) of <paramref name="row"/>, typed; with <paramref name="insert"/>, an unset database default is NULL.</summary>
    Task WriteColumnAsync(NpgsqlBinaryImporter importer, T row, int column, bool insert, CancellationToken cancellationToken);
}
