using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DbOps.Sql;

/// <summary>
/// EF Core options per provider. No connection is ever opened: the contexts built from these options are only
/// used as service containers (model building conventions, type mapping, migrations differ and SQL generator).
/// </summary>
internal static class EfProviders
{
    private static readonly Dictionary<DbProvider, DbContextOptions> Cache = new();

    public static DbContextOptions Options(DbProvider provider)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(provider, out var options)) return options;
            var b = new DbContextOptionsBuilder();
            _ = provider switch
            {
                DbProvider.Sqlite => b.UseSqlite("Data Source=:memory:"),
                DbProvider.PostgreSql => b.UseNpgsql("Host=localhost"),
                DbProvider.SqlServer => b.UseSqlServer("Server=."),
                _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
            };
            b.ConfigureWarnings(w => w.Ignore(CoreEventId.ManyServiceProvidersCreatedWarning));
            options = b.Options;
            Cache[provider] = options;
            return options;
        }
    }

    /// <summary>A throwaway context for <paramref name="provider"/>; dispose it after taking its services.</summary>
    public static DbContext CreateContext(DbProvider provider) => new(Options(provider));
}
