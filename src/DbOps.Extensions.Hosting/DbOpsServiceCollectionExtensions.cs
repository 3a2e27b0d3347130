using System.Data.Common;
using DbOps.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DbOps.Extensions.Hosting;

/// <summary>
/// Registers the pooled data source of a provider under <paramref name="serviceKey"/> (the database class), with the
/// options (connection string, sensitive data logging) <paramref name="options"/> returns once the container builds it. PostgreSQL code passes
/// Npgsql's own <c>AddNpgsqlDataSource</c>, so Npgsql's logging and tracing are wired to the application's.
/// </summary>
public delegate void DbOpsDataSourceRegistration(IServiceCollection services, object serviceKey, Func<IServiceProvider, DbOpsOptions> options);

/// <summary>
/// The runtime behind the generated <c>services.Add{Name}(...)</c>: one pooled <see cref="DbDataSource"/> per database
/// (a singleton keyed by the database class, disposed with the container) and the database class itself as a singleton.
/// </summary>
public static class DbOpsServiceCollectionExtensions
{
    /// <summary>The log category of the SQL of repository and query calls (Debug level).</summary>
    public const string CommandLogCategory = "DbOps.Command";

    /// <summary>
    /// Registers <typeparamref name="TDb"/>: named <see cref="DbOpsOptions"/> (name = <c>typeof(TDb).FullName</c>)
    /// configured by <paramref name="configure"/> and checked when the host starts, the data source keyed by
    /// <c>typeof(TDb)</c> (by <paramref name="addDataSource"/>, else <see cref="DbOpsProviderServices.CreateDataSource"/>),
    /// and <typeparamref name="TDb"/> as a singleton made by <paramref name="create"/>.
    /// </summary>
    /// <returns>A builder for <c>.MigrateOnStartup()</c>.</returns>
    public static DbOpsDatabaseBuilder<TDb> AddDbOpsDatabase<TDb>(this IServiceCollection services, DbOpsProviderServices provider,
        Func<IServiceProvider, DbDataSource, TDb> create, Action<DbOpsOptions> configure, DbOpsDataSourceRegistration? addDataSource = null)
        where TDb : class, IDbOpsDatabase
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(configure);
        var name = OptionsName<TDb>();
        var database = typeof(TDb).Name;
        services.AddOptions<DbOpsOptions>(name).Configure(configure).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DbOpsOptions>>(new ConnectionStringValidator(name, database));
        var key = typeof(TDb);
        if (addDataSource is not null) addDataSource(services, key, GetDbOpsOptions<TDb>);
        else services.TryAddKeyedSingleton<DbDataSource>(key, (sp, _) => provider.CreateDataSource(sp.GetDbOpsOptions<TDb>().ConnectionString!));
        services.TryAddSingleton(sp =>
        {
            var db = create(sp, sp.GetRequiredKeyedService<DbDataSource>(key));
            if (sp.GetService<ILoggerFactory>() is { } loggers)
                db.UseCommandLogger(loggers.CreateLogger(CommandLogCategory), sp.GetDbOpsOptions<TDb>().EnableSensitiveDataLogging);
            return db;
        });
        return new DbOpsDatabaseBuilder<TDb>(services);
    }

    /// <summary>
    /// A configure delegate that reads the connection string <paramref name="connectionStringName"/>
    /// (<c>ConnectionStrings:{name}</c>) from <paramref name="configuration"/> when the options are first used, so later
    /// configuration sources (environment variables, test overrides) count.
    /// </summary>
    public static Action<DbOpsOptions> FromConfiguration(IConfiguration configuration, string connectionStringName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionStringName);
        return o =>
        {
            o.ConnectionStringName = connectionStringName;
            o.ConnectionString = configuration.GetConnectionString(connectionStringName);
        };
    }

    /// <summary>The options of <typeparamref name="TDb"/> (validated: a missing connection string throws <see cref="OptionsValidationException"/>).</summary>
    public static DbOpsOptions GetDbOpsOptions<TDb>(this IServiceProvider services) where TDb : class, IDbOpsDatabase =>
        services.GetRequiredService<IOptionsMonitor<DbOpsOptions>>().Get(OptionsName<TDb>());

    internal static string OptionsName<TDb>() => typeof(TDb).FullName ?? typeof(TDb).Name;

    private sealed class ConnectionStringValidator(string optionsName, string database) : IValidateOptions<DbOpsOptions>
    {
        public ValidateOptionsResult Validate(string? name, DbOpsOptions options)
        {
            if (name != optionsName || !string.IsNullOrWhiteSpace(options.ConnectionString)) return ValidateOptionsResult.Skip;
            return ValidateOptionsResult.Fail(options.ConnectionStringName is { } key
                ? $"{database} has no connection string: the configuration has no ConnectionStrings:{key} (set it in appsettings.json or the environment variable ConnectionStrings__{key})."
                : $"{database} has no connection string: pass one to Add{database}(...) or set DbOpsOptions.ConnectionString.");
        }
    }
}

/// <summary>Returned by the generated <c>services.Add{Name}(...)</c>: what else to do with the database at startup.</summary>
/// <typeparam name="TDb">The generated database class.</typeparam>
public sealed class DbOpsDatabaseBuilder<TDb> where TDb : class, IDbOpsDatabase
{
    internal DbOpsDatabaseBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the database was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Applies the pending migrations when the host starts, before any hosted service (the web server included) starts,
    /// so the application serves no request before its database is migrated. When a migration fails, the host logs one
    /// critical line naming the database and the script and does not start. Several instances starting at once are
    /// safe: the migrator holds a database lock, and each script is applied exactly once.
    /// </summary>
    public DbOpsDatabaseBuilder<TDb> MigrateOnStartup()
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, DbOpsMigrationHostedService<TDb>>());
        return this;
    }
}
