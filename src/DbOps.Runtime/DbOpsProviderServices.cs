using System.Data.Common;

namespace DbOps.Runtime;

/// <summary>
/// What generated code and the migrator need from one database provider: its data source, the mapping of its errors
/// to the DbOps exceptions, and which of its errors are worth a retry. Each provider package (DbOps.Runtime.Sqlite,
/// DbOps.Runtime.PostgreSql, DbOps.Runtime.SqlServer) has one instance, so an application loads only its own driver.
/// </summary>
public abstract class DbOpsProviderServices
{
    /// <summary>The provider these services are for.</summary>
    public abstract DbOpsProvider Provider { get; }

    /// <summary>The data source a generated <c>Create(connectionString)</c> uses.</summary>
    public abstract DbDataSource CreateDataSource(string connectionString);

    /// <summary>
    /// The DbOps exception for a constraint violation reported by <paramref name="exception"/>, or null when it is not one
    /// (the original exception then propagates unchanged). Called by generated code in <c>catch ... when</c> filters.
    /// </summary>
    public abstract DbOpsException? Translate(Exception exception, DbOpsTableInfo? table, DbOpsStatementKind kind);

    /// <summary>
    /// <see cref="Translate(Exception, DbOpsTableInfo?, DbOpsStatementKind)"/> for a statement that may touch any of
    /// <paramref name="tables"/> (a named query). Providers whose errors name the table pick it from there.
    /// </summary>
    public virtual DbOpsException? Translate(Exception exception, IReadOnlyList<DbOpsTableInfo> tables, DbOpsStatementKind kind)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return Translate(exception, (DbOpsTableInfo?)null, kind);
    }

    /// <summary>
    /// True for errors a whole transaction may be run again after: serialization failures and deadlocks (and SQLite busy).
    /// Not <see cref="DbException.IsTransient"/>: providers set it for broken connections and timeouts, and after a COMMIT
    /// that failed that way the transaction may have committed, so running the unit of work again could apply it twice.
    /// </summary>
    public abstract bool IsTransient(Exception exception);

    /// <summary>True when <paramref name="exception"/> says another connection holds the database (SQLite busy/locked).</summary>
    public virtual bool IsBusy(Exception exception) => false;

    /// <summary>
    /// A connection for a read-only look at the database (the migration dry run), or null when the database does not
    /// exist yet and opening it would create it (a SQLite file).
    /// </summary>
    public virtual async ValueTask<DbConnection?> OpenExistingAsync(DbDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the structure of a live database from its catalog, for <c>db.VerifySchemaAsync()</c> and <c>DbOpsVerify</c>.</summary>
    public virtual DbOpsSchemaReader SchemaReader =>
        throw new NotSupportedException($"Reading the structure of a live {Provider} database is not supported.");

    /// <summary>
    /// Adds the row limit of a keyset page as parameter <paramref name="index"/> (0-based; <c>@pN</c>, or positional on
    /// PostgreSQL), in the integer type the provider's LIMIT/TOP takes: here a 64-bit integer named <c>@pN</c>.
    /// </summary>
    public virtual void AddLimitParameter(DbCommand command, int index, int limit)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = ParameterName(index);
        parameter.DbType = System.Data.DbType.Int64;
        parameter.Value = (long)limit;
        command.Parameters.Add(parameter);
    }

    /// <summary>Names <paramref name="parameter"/> as generated parameter <paramref name="index"/> of its statement: <c>@pN</c> (PostgreSQL's are positional and stay unnamed).</summary>
    public virtual void NameParameter(DbParameter parameter, int index)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.ParameterName = ParameterName(index);
    }

    private static readonly string[] s_parameterNames = [.. Enumerable.Range(0, 64).Select(i => "@p" + i)];

    /// <summary>The name of generated parameter <paramref name="index"/>: <c>@pN</c> (PostgreSQL's are positional and unnamed).</summary>
    protected static string ParameterName(int index) => index < s_parameterNames.Length ? s_parameterNames[index] : "@p" + index;

    /// <summary>
    /// The bulk path of <see cref="DbOpsBulk.WriteManyAsync{T}"/> on an open connection inside <paramref name="transaction"/>:
    /// here one prepared statement (<see cref="DbOpsBulkTable{T}.Statement"/>) executed per row, which is SQLite's fast path
    /// and stays within every parameter limit. Providers with a faster path (PostgreSQL: binary COPY into a temporary
    /// table and one statement) override it.
    /// </summary>
    public virtual async Task<long> WriteManyAsync<T>(DbConnection connection, DbTransaction transaction, DbOpsBulkTable<T> table,
        DbOpsBulkKind kind, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        using var command = connection.CreateCommand();
        command.CommandText = table.Statement;
        command.Transaction = transaction;
        var parameters = new DbParameter[table.Written.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            NameParameter(parameters[i], i);
            command.Parameters.Add(parameters[i]);
        }
        var prepared = false;
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            table.Prepare?.Invoke(row);
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = table.Values(row, table.Written[i]);
            if (!prepared)
            {
                await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
                prepared = true;
            }
            count += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return count;
    }
}
