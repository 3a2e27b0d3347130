using System.Data;
using System.Data.Common;

namespace DbOps.Runtime;

/// <summary>Runs a unit of work in one transaction; used by the generated <c>InTransactionAsync</c>.</summary>
public static class DbOpsTransactions
{
    /// <summary>
    /// Opens a connection, begins a transaction, runs <paramref name="work"/> with the transaction object
    /// <paramref name="createScope"/> builds, and commits when it returns. When it throws, rolls back and rethrows the
    /// delegate's own exception. When the exception (or the commit's) is a serialization failure or deadlock
    /// (<see cref="DbOpsProviderServices.IsTransient"/> of <paramref name="services"/>) and <paramref name="maxRetries"/>
    /// allows, the whole unit runs again.
    /// </summary>
    public static async Task<T> RunAsync<TScope, T>(DbOpsProviderServices services, DbDataSource dataSource, Func<DbConnection, DbTransaction, TScope> createScope,
        Func<TScope, Task<T>> work, IsolationLevel isolationLevel, int maxRetries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        for (var attempt = 0; ; attempt++)
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(isolationLevel, cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    T result;
                    try
                    {
                        result = await work(createScope(connection, transaction)).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        await RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                        if (attempt < maxRetries && services.IsTransient(ex)) continue;
                        throw;
                    }
                    try
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (attempt < maxRetries && services.IsTransient(ex))
                    {
                        continue;
                    }
                    return result;
                }
            }
        }
    }

    private static async Task RollbackQuietlyAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The connection may be broken; the delegate's exception is the one that matters.
        }
    }
}
