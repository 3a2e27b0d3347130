using System.Data.Common;
using DbOps.Runtime;
using Microsoft.Extensions.Logging;

namespace DbOps.Extensions.Hosting;

/// <summary>
/// What the hosting services need from a generated database class. The generated <c>Add{Name}(...)</c> extension
/// declares it on the class (its members are the generated ones), so no reflection is involved.
/// </summary>
public interface IDbOpsDatabase
{
    /// <summary>The data source every connection comes from.</summary>
    DbDataSource DataSource { get; }

    /// <summary>Applies the pending migrations (the generated <c>MigrateAsync</c>).</summary>
    Task<DbOpsMigrationResult> MigrateAsync(ILogger? logger = null, CancellationToken cancellationToken = default);

    /// <summary>The migrations <see cref="MigrateAsync"/> would apply (the generated <c>GetPendingMigrationsAsync</c>).</summary>
    Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Compares the live structure with the schema (the generated <c>VerifySchemaAsync</c>); changes nothing.</summary>
    Task<DbOpsSchemaReport> VerifySchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs the SQL of every repository and query call to <paramref name="logger"/> at Debug level, with parameter values
    /// only when <paramref name="sensitiveDataLogging"/> is true (<see cref="DbOpsOptions.EnableSensitiveDataLogging"/>).
    /// </summary>
    void UseCommandLogger(ILogger logger, bool sensitiveDataLogging);
}
