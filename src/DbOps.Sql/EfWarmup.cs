using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace DbOps.Sql;

/// <summary>
/// EF Core's one-time start (its service provider, the provider's conventions and type mappings, the differ and the SQL
/// generator) costs more than parsing the schema. An engine run starts it on a thread-pool thread before it reads the
/// YAML, so the two overlap; everything it builds is what <see cref="DbModelFactory"/> and <see cref="MigrationSql"/>
/// take from EF's own caches afterwards (nothing is kept here).
/// </summary>
public static class EfWarmup
{
    /// <summary>Starts the warm-up of <paramref name="provider"/>; the task never faults (a failure shows again, where it matters).</summary>
    public static Task Start(DbProvider provider) => Task.Run(() =>
    {
        try
        {
            using var context = EfProviders.CreateContext(provider);
            _ = context.GetService<ModelCreationDependencies>().ConventionSetBuilder.CreateConventionSet();
            _ = context.GetService<ISqlGenerationHelper>();
            _ = context.GetService<IMigrationsModelDiffer>();
            _ = context.GetService<IMigrationsSqlGenerator>();
        }
        catch (Exception)
        {
            // Only a head start: the real calls build the same services and report what went wrong.
        }
    });
}
