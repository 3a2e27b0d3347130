using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace DbOps.Runtime;

/// <summary>
/// SQL Server bulk insert with SqlBulkCopy, streaming the rows through a <see cref="DbOpsBulkReader{T}"/>; checks
/// constraints and fires triggers, in the session's transaction or SqlBulkCopy's own.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
/// <param name="table">The quoted destination table.</param>
/// <param name="columns">The inserted columns (physical names), in <paramref name="ordinals"/>' order.</param>
/// <param name="getValue">The provider value of column <c>i</c> (table order) of a row (DBNull for NULL or an unset defaulted column).</param>
/// <param name="ordinals">The table-order index of each inserted column.</param>
public sealed class DbOpsSqlServerBulkInsert<T>(string table, string[] columns, Func<T, int, object> getValue, int[] ordinals) : DbOpsBulkInsert<T>
    where T : class
{
    /// <inheritdoc />
    public override async Task<long> WriteAsync(DbOpsSession session, DbConnection connection, DbOpsRows<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var transaction = (SqlTransaction?)session.Transaction;
        var options = SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.FireTriggers
            | (transaction is null ? SqlBulkCopyOptions.UseInternalTransaction : SqlBulkCopyOptions.Default);
        using var bulk = new SqlBulkCopy((SqlConnection)connection, options, transaction) { DestinationTableName = table, EnableStreaming = true, BulkCopyTimeout = 0 };
        foreach (var column in columns) bulk.ColumnMappings.Add(column, column);
        await using var reader = new DbOpsBulkReader<T>(rows, columns, (row, i) => getValue(row, ordinals[i]));
        await bulk.WriteToServerAsync(reader, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }
}
