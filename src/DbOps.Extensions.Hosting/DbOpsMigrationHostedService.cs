using System.Diagnostics;
using DbOps.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DbOps.Extensions.Hosting;

/// <summary>
/// Migrates <typeparamref name="TDb"/> in <see cref="IHostedLifecycleService.StartingAsync"/>, which the host runs
/// before the <c>StartAsync</c> of every hosted service, the web server's included. Added by <c>.MigrateOnStartup()</c>.
/// </summary>
/// <typeparam name="TDb">The generated database class.</typeparam>
public sealed partial class DbOpsMigrationHostedService<TDb> : IHostedLifecycleService where TDb : class, IDbOpsDatabase
{
    private readonly TDb _database;
    private readonly ILogger _logger;

    /// <summary>Creates the service (by the container).</summary>
    public DbOpsMigrationHostedService(TDb database, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _database = database;
        _logger = loggerFactory.CreateLogger("DbOps.Migrations");
    }

    /// <summary>Applies the pending migrations; a failure is logged and thrown, so the host does not start.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var name = typeof(TDb).Name;
        var watch = Stopwatch.StartNew();
        DbOpsMigrationResult result;
        try
        {
            result = await _database.MigrateAsync(_logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var script = (ex as DbOpsMigrationException)?.ScriptName;
            StartFailed(_logger, name, script is null ? "" : $" at {script}", Reason(ex), ex);
            throw;
        }
        Migrated(_logger, name, result.AppliedScripts.Count, result.AlreadyAppliedCount, watch.ElapsedMilliseconds);
    }

    // The migrator's message, and the database's own error under it (a script's SQL error is the inner exception).
    private static string Reason(Exception ex) =>
        ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} {inner.Message}" : ex.Message;

    [LoggerMessage(EventId = 4110, EventName = "DbOpsMigrateOnStartupFailed", Level = LogLevel.Critical,
        Message = "Migrating {Database} failed{Script}; the application does not start. {Reason}")]
    private static partial void StartFailed(ILogger logger, string database, string script, string reason, Exception exception);

    [LoggerMessage(EventId = 4111, EventName = "DbOpsMigratedOnStartup", Level = LogLevel.Information,
        Message = "{Database} migrated on startup: {Applied} applied, {AlreadyApplied} already applied ({ElapsedMs} ms).")]
    private static partial void Migrated(ILogger logger, string database, int applied, int alreadyApplied, long elapsedMs);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
