using DbOps.Schema.Model;

namespace DbOps.CodeGen.Hosting;

/// <summary>
/// Writes <c>{Name}.Hosting.g.cs</c> when the project references DbOps.Extensions.Hosting: the typed
/// <c>services.Add{Name}(...)</c> and <c>Add{Name}HealthCheck()</c> extensions, each one call into that package, and
/// <c>IDbOpsDatabase</c> on the database class. On PostgreSQL the data source is registered through Npgsql's own
/// <c>AddNpgsqlDataSource</c> (Npgsql.DependencyInjection), so Npgsql logs and traces with the application.
/// </summary>
public static class HostingEmitter
{
    /// <summary>The generated file for <paramref name="schema"/>; deterministic, \n line endings.</summary>
    public static GeneratedFile Emit(SchemaModel schema, CodeGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        var name = schema.Name;
        const string H = "global::DbOps.Extensions.Hosting";
        const string Services = "global::Microsoft.Extensions.DependencyInjection.IServiceCollection";
        const string Checks = "global::Microsoft.Extensions.Diagnostics.HealthChecks";
        var builder = $"{H}.DbOpsDatabaseBuilder<{name}>";
        var w = CodeWriter.ForFile(options.Namespace);
        w.Open($"public sealed partial class {name} : {H}.IDbOpsDatabase");
        w.Line($"void {H}.IDbOpsDatabase.UseCommandLogger(global::Microsoft.Extensions.Logging.ILogger logger, bool sensitiveDataLogging) =>");
        w.Line("    _session.UseLogger(logger, sensitiveDataLogging);");
        w.Close();
        w.Line();
        w.Line($"/// <summary>Registers <see cref=\"{name}\"/> in dependency injection (DbOps.Extensions.Hosting).</summary>");
        w.Open($"public static class {name}ServiceCollectionExtensions");
        w.Line($"/// <summary>Registers <see cref=\"{name}\"/> (a singleton) and one pooled data source for <paramref name=\"connectionString\"/>.</summary>");
        w.Line("/// <param name=\"services\">The application's services.</param>");
        w.Line("/// <param name=\"connectionString\">The connection string of the database.</param>");
        w.Line("/// <returns>A builder for <c>.MigrateOnStartup()</c>.</returns>");
        w.Line($"public static {builder} Add{name}(this {Services} services, string connectionString) =>");
        w.Line($"    Add{name}(services, o => o.ConnectionString = connectionString);");
        w.Line();
        w.Line($"/// <summary>Registers <see cref=\"{name}\"/> with the connection string <c>ConnectionStrings:{{connectionStringName}}</c> of <paramref name=\"configuration\"/>.</summary>");
        w.Line("/// <param name=\"services\">The application's services.</param>");
        w.Line("/// <param name=\"configuration\">The application's configuration (read when the container first needs it).</param>");
        w.Line("/// <param name=\"connectionStringName\">The name under <c>ConnectionStrings</c>; a missing one fails the start with its name.</param>");
        w.Line("/// <returns>A builder for <c>.MigrateOnStartup()</c>.</returns>");
        w.Line($"public static {builder} Add{name}(this {Services} services, global::Microsoft.Extensions.Configuration.IConfiguration configuration, string connectionStringName = \"Default\") =>");
        w.Line($"    Add{name}(services, {H}.DbOpsServiceCollectionExtensions.FromConfiguration(configuration, connectionStringName));");
        w.Line();
        w.Line($"/// <summary>Registers <see cref=\"{name}\"/> with options set by <paramref name=\"configure\"/> (connection string, sensitive data logging).</summary>");
        w.Line("/// <param name=\"services\">The application's services.</param>");
        w.Line("/// <param name=\"configure\">Sets the options; runs when the container first needs them.</param>");
        w.Line("/// <returns>A builder for <c>.MigrateOnStartup()</c>.</returns>");
        var registration = schema.Provider == DbProvider.PostgreSql ? ", AddNpgsqlDataSource" : "";
        w.Line($"public static {builder} Add{name}(this {Services} services, global::System.Action<{H}.DbOpsOptions> configure) =>");
        w.Line($"    {H}.DbOpsServiceCollectionExtensions.AddDbOpsDatabase(services, {name}.Services, static (_, dataSource) => new {name}(dataSource), configure{registration});");
        w.Line();
        w.Line($"/// <summary>Adds a health check of <see cref=\"{name}\"/>: unhealthy when the database cannot be reached or migrations are pending.</summary>");
        w.Line("/// <param name=\"builder\">From <c>services.AddHealthChecks()</c>.</param>");
        w.Line("/// <param name=\"name\">The check's name.</param>");
        w.Line("/// <param name=\"failureStatus\">Reported on failure; default unhealthy.</param>");
        w.Line("/// <param name=\"tags\">Tags to filter the check by.</param>");
        w.Line("/// <param name=\"timeout\">How long the check may take.</param>");
        w.Line("/// <returns><paramref name=\"builder\"/>.</returns>");
        w.Line($"public static global::Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder Add{name}HealthCheck(this global::Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder builder, string name = \"{name}\",");
        w.Line($"    {Checks}.HealthStatus? failureStatus = null, global::System.Collections.Generic.IEnumerable<string>? tags = null, global::System.TimeSpan? timeout = null) =>");
        w.Line($"    {H}.DbOpsHealthChecksBuilderExtensions.AddDbOpsHealthCheck<{name}>(builder, name, failureStatus, tags, timeout);");
        if (schema.Provider == DbProvider.PostgreSql)
        {
            w.Line();
            w.Line("// Npgsql's own registration: the NpgsqlDataSource gets the application's ILoggerFactory (Npgsql logging and tracing);");
            w.Line("// sensitive data logging turns on Npgsql's parameter logging.");
            w.Line($"private static void AddNpgsqlDataSource({Services} services, object serviceKey, global::System.Func<global::System.IServiceProvider, {H}.DbOpsOptions> options) =>");
            w.Line("    global::Microsoft.Extensions.DependencyInjection.NpgsqlServiceCollectionExtensions.AddNpgsqlDataSource(services, \"\", (sp, dataSource) =>");
            w.Line("    {");
            w.Line("        var o = options(sp);");
            w.Line("        dataSource.ConnectionStringBuilder.ConnectionString = o.ConnectionString;");
            w.Line("        dataSource.EnableParameterLogging(o.EnableSensitiveDataLogging);");
            w.Line("    }, serviceKey: serviceKey);");
        }
        w.Close();
        return new GeneratedFile($"{name}.Hosting.g.cs", w.ToString().TrimEnd('\n') + "\n");
    }
}
