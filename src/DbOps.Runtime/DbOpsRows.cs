namespace DbOps.Runtime;

/// <summary>
/// The rows of a bulk operation, from an <see cref="IEnumerable{T}"/> or an <see cref="IAsyncEnumerable{T}"/> alike, so
/// that one body serves both overloads. Each row is prepared (validated, keys generated) as it is reached; nothing is
/// buffered. Checks <see cref="CancellationToken"/> before every row.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
public sealed class DbOpsRows<T> : IAsyncDisposable, IDisposable
{
    private readonly IEnumerator<T>? _enumerator;
    private readonly IAsyncEnumerator<T>? _asyncEnumerator;
    private readonly Action<T> _prepare;
    private readonly CancellationToken _cancellationToken;

    /// <summary>Rows of <paramref name="rows"/>; <paramref name="prepare"/> runs on each before it is returned.</summary>
    public DbOpsRows(IEnumerable<T> rows, Action<T> prepare, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _prepare = prepare ?? throw new ArgumentNullException(nameof(prepare));
        _cancellationToken = cancellationToken;
        _enumerator = rows.GetEnumerator();
    }

    /// <summary>Rows of <paramref name="rows"/>, enumerated with <paramref name="cancellationToken"/>.</summary>
    public DbOpsRows(IAsyncEnumerable<T> rows, Action<T> prepare, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _prepare = prepare ?? throw new ArgumentNullException(nameof(prepare));
        _cancellationToken = cancellationToken;
        _asyncEnumerator = rows.GetAsyncEnumerator(cancellationToken);
    }

    /// <summary>The current (prepared) row.</summary>
    public T Current { get; private set; } = default!;

    /// <summary>Rows returned so far.</summary>
    public long Count { get; private set; }

    /// <summary>Advances to the next row; false at the end.</summary>
    public ValueTask<bool> MoveNextAsync()
    {
        if (_enumerator is not null) return new ValueTask<bool>(MoveNext());
        _cancellationToken.ThrowIfCancellationRequested();
        var next = _asyncEnumerator!.MoveNextAsync();
        return next.IsCompletedSuccessfully ? new ValueTask<bool>(Advance(next.Result)) : Await(next);
    }

    /// <summary>Advances synchronously (an asynchronous source is waited for).</summary>
    public bool MoveNext()
    {
        if (_enumerator is null) return MoveNextAsync().AsTask().GetAwaiter().GetResult();
        _cancellationToken.ThrowIfCancellationRequested();
        return Advance(_enumerator.MoveNext());
    }

    private async ValueTask<bool> Await(ValueTask<bool> next) => Advance(await next.ConfigureAwait(false));

    private bool Advance(bool more)
    {
        if (!more)
        {
            Current = default!;
            return false;
        }
        var row = _enumerator is not null ? _enumerator.Current : _asyncEnumerator!.Current;
        _prepare(row);
        Current = row;
        Count++;
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _enumerator?.Dispose();
        if (_asyncEnumerator is not null) await _asyncEnumerator.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _enumerator?.Dispose();
        _asyncEnumerator?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>
/// How one provider bulk-inserts the rows of one table (SQLite: a prepared INSERT; PostgreSQL: binary COPY;
/// SQL Server: SqlBulkCopy). <see cref="DbOpsSession.InsertManyAsync{T}(DbOpsTable{T}, DbOpsBulkInsert{T}, IEnumerable{T}, CancellationToken)"/>
/// leases the connection and translates errors around it.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
public abstract class DbOpsBulkInsert<T> where T : class
{
    /// <summary>Writes every row of <paramref name="rows"/> on <paramref name="connection"/> (in the session's transaction, if any); returns the row count.</summary>
    public abstract Task<long> WriteAsync(DbOpsSession session, System.Data.Common.DbConnection connection, DbOpsRows<T> rows, CancellationToken cancellationToken);
}
