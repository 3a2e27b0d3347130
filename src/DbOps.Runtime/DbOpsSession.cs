using System.Data;
using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace DbOps.Runtime;

/// <summary>
/// Where a generated repository gets its connection: either a fresh (pooled) connection from a data source per call,
/// or one shared connection and transaction (inside <c>InTransactionAsync</c>).
/// </summary>
public sealed partial class DbOpsSession
{
    private readonly DbDataSource? _dataSource;
    private readonly DbConnection? _connection;
    private DbOpsSqlLogger? _sqlLog;
    private DbOpsCalls? _calls;

    /// <summary>A session that opens a pooled connection per call.</summary>
    public DbOpsSession(DbDataSource dataSource) => _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>A session bound to one open connection and its transaction.</summary>
    public DbOpsSession(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
        Transaction = transaction ?? throw new ArgumentNullException(nameof(transaction));
    }

    /// <summary>The transaction every command joins, or null outside a transaction.</summary>
    public DbTransaction? Transaction { get; }

    /// <summary>The data source, or null for a transaction session.</summary>
    public DbDataSource? DataSource => _dataSource;

    /// <summary>An open connection: the shared one, or a new one from the pool (give it back with <see cref="ReleaseAsync"/>).</summary>
    public ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        _connection is not null ? new ValueTask<DbConnection>(_connection) : _dataSource!.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Logs every command's SQL to <paramref name="logger"/> at Debug after it ran (failures at Error), parameter values
    /// only when <paramref name="sensitiveDataLogging"/> is true. Called once, before the session is used.
    /// </summary>
    public void UseLogger(ILogger logger, bool sensitiveDataLogging)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _sqlLog = new DbOpsSqlLogger(logger, sensitiveDataLogging);
    }

    /// <summary>Disposes a connection obtained from <see cref="OpenAsync"/> unless it is the shared one; ends the call's span and log line.</summary>
    public ValueTask ReleaseAsync(DbConnection connection)
    {
        _calls?.End(connection, _sqlLog);
        return _connection is null ? connection.DisposeAsync() : default;
    }

    /// <summary>
    /// A command on <paramref name="connection"/> with <paramref name="sql"/>, enlisted in the session's transaction. The
    /// first command on a connection starts the call's span (<see cref="DbOpsTelemetry"/>) when anything listens.
    /// </summary>
    public DbCommand CreateCommand(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        if (_calls is not null || DbOpsTelemetry.Enabled || _sqlLog is { Enabled: true })
        {
            var calls = _calls ?? Interlocked.CompareExchange(ref _calls, new DbOpsCalls(), null) ?? _calls!;
            calls.Command(connection, command, sql, _sqlLog);
        }
        return command;
    }

    /// <summary>
    /// Records that the call on <paramref name="connection"/> failed with <paramref name="exception"/> (span status,
    /// <c>error.type</c>, an Error log line); returns false, for a <c>catch ... when</c> filter that catches nothing.
    /// </summary>
    internal bool Failed(DbConnection connection, Exception exception)
    {
        _calls?.Fail(connection, exception);
        return false;
    }

    /// <summary>
    /// The transaction to use for a multi-statement operation (bulk insert): the session's own, or a new one on
    /// <paramref name="connection"/> that the caller commits (<c>owned</c> true).
    /// </summary>
    public async ValueTask<(DbTransaction Transaction, bool Owned)> BeginIfNeededAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (Transaction is not null) return (Transaction, false);
        return (await connection.BeginTransactionAsync(IsolationLevel.Unspecified, cancellationToken).ConfigureAwait(false), true);
    }
}
