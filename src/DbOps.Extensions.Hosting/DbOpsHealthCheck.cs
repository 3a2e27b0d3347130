using DbOps.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DbOps.Extensions.Hosting;

/// <summary>
/// Health of one DbOps database: unhealthy when it cannot be reached or has migrations pending (the application would
/// run against an older schema); degraded when its live structure differs from the schema (<c>VerifySchemaAsync</c>:
/// a hand-made change, e.g. a dropped index or an added column); healthy otherwise. Added by the generated
/// <c>AddShopDbHealthCheck()</c>.
/// </summary>
/// <typeparam name="TDb">The generated database class.</typeparam>
public sealed class DbOpsHealthCheck<TDb> : IHealthCheck where TDb : class, IDbOpsDatabase
{
    private readonly TDb _database;

    /// <summary>Creates the check (by the container).</summary>
    public DbOpsHealthCheck(TDb database) => _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration.FailureStatus;
        var name = typeof(TDb).Name;
        IReadOnlyList<string> pending;
        try
        {
            // Reads the migration journal: one round trip that needs a working connection, and the schema version with it.
            pending = await _database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbOpsMigrationException ex)
        {
            return new HealthCheckResult(failure, $"{name}: the migration journal does not match this application: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, $"{name}: the database cannot be reached: {ex.Message}", ex);
        }
        var data = new Dictionary<string, object> { ["pendingMigrations"] = pending.ToArray() };
        if (pending.Count > 0)
            return new HealthCheckResult(failure, $"{name}: {pending.Count} migration{(pending.Count == 1 ? " is" : "s are")} pending: {string.Join(", ", pending)}.", data: data);
        DbOpsSchemaReport report;
        try
        {
            report = await _database.VerifySchemaAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, $"{name}: the database cannot be reached: {ex.Message}", ex, data);
        }
        data["schemaDifferences"] = report.Differences.Select(d => d.Message).ToArray();
        return report.InSync
            ? HealthCheckResult.Healthy($"{name}: reachable, no migration pending, structure matches the schema.", data)
            : HealthCheckResult.Degraded($"{name}: {report}", data: data);
    }
}

/// <summary>The runtime behind the generated <c>AddShopDbHealthCheck()</c>.</summary>
public static class DbOpsHealthChecksBuilderExtensions
{
    /// <summary>Adds <see cref="DbOpsHealthCheck{TDb}"/> under <paramref name="name"/>.</summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name (the generated extension passes the database class name).</param>
    /// <param name="failureStatus">Reported when the database is unreachable or migrations are pending; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by in <c>MapHealthChecks</c>.</param>
    /// <param name="timeout">How long the check may take; default none.</param>
    public static IHealthChecksBuilder AddDbOpsHealthCheck<TDb>(this IHealthChecksBuilder builder, string name, HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null, TimeSpan? timeout = null) where TDb : class, IDbOpsDatabase
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(name, sp => ActivatorUtilities.CreateInstance<DbOpsHealthCheck<TDb>>(sp), failureStatus, tags, timeout));
    }
}
