using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DbOps.Runtime;

/// <summary>
/// SQLite bulk insert: one prepared INSERT, its parameters (<c>@p0</c>, <c>@p1</c>, ...) set per row and executed
/// again, all inside one transaction (the session's own, or one that is committed at the end).
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
/// <param name="sql">The INSERT with one parameter per inserted column.</param>
/// <param name="types">The SQLite type of each column of the table (table order).</param>
/// <param name="getValue">The provider value of column <c>i</c> (table order) of a row (DBNull for NULL or an unset defaulted column).</param>
/// <param name="columns">The inserted columns (indexes in table order), in the order of the INSERT's parameters.</param>
public sealed class DbOpsSqliteBulkInsert<T>(string sql, SqliteType[] types, Func<T, int, object> getValue, int[] columns) : DbOpsBulkInsert<T>
    where T : class
{
    /// <inheritdoc />
    public override async Task<long> WriteAsync(DbOpsSession session, DbConnection connection, DbOpsRows<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(rows);
        var (transaction, owned) = await session.BeginIfNeededAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            var parameters = new SqliteParameter[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                parameters[i] = new SqliteParameter { SqliteType = types[columns[i]] };
                DbOpsSqliteServices.Instance.NameParameter(parameters[i], i);
                command.Parameters.Add(parameters[i]);
            }
            command.Prepare();
            long count = 0;
            while (await rows.MoveNextAsync().ConfigureAwait(false))
            {
                var row = rows.Current;
                for (var i = 0; i < parameters.Length; i++) parameters[i].Value = getValue(row, columns[i]);
                count += command.ExecuteNonQuery();
            }
            if (owned) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
        finally
        {
            if (owned) await transaction.DisposeAsync().ConfigureAwait(false);
        }
    }
}
