using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DbOps.Extensions.Hosting;
using DbOps.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DbOps.Hosting.Tests;

/// <summary>
/// The same behaviour on each provider: DI registration from configuration, migrate on startup (once, also with
/// several hosts starting at once; a failing migration fails the start), and the health check served over HTTP.
/// </summary>
public abstract class HostingTests<TDb> where TDb : class, IDbOpsDatabase
{
    /// <summary>A connection string to a new, empty database.</summary>
    protected abstract string NewDatabase();

    /// <summary>A connection string nothing answers at.</summary>
    protected abstract string UnreachableDatabase();

    /// <summary>services.AddShopDb(configuration, "Default") (+ MigrateOnStartup) and AddShopDbHealthCheck().</summary>
    protected abstract void AddDatabase(WebApplicationBuilder builder, bool migrateOnStartup);

    /// <summary>POST /customers {email,name} inserts with the generated repository; GET /customers/{email} reads it.</summary>
    protected abstract void MapCustomers(WebApplication app);

    /// <summary>Runs raw SQL against the database (to break or inspect it).</summary>
    protected abstract Task<object?> ScalarAsync(string connectionString, string sql);

    /// <summary>The data source type the provider's registration must produce (NpgsqlDataSource through Npgsql's DI).</summary>
    protected abstract Type ExpectedDataSourceType { get; }

    /// <summary>Whether DbOps' own command line lists the parameters (not on Npgsql, which resets a used command).</summary>
    protected virtual bool ParametersInCommandLog => true;

    /// <summary>How a logged parameter value looks (in DbOps' line, or in Npgsql's own command log).</summary>
    protected virtual string ValueLogged(string value) => $"='{value}', ";

    /// <summary>db.system / db.system.name of the provider.</summary>
    protected abstract string DbSystem { get; }

    protected static readonly ActivitySource TestSource = new("DbOps.Hosting.Tests");

    private TestHost Host(string? connectionString, bool migrate, bool sensitiveDataLogging = false) => TestHost.Create(connectionString, b =>
    {
        AddDatabase(b, migrate);
        if (sensitiveDataLogging) b.Services.Configure<DbOpsOptions>(typeof(TDb).FullName, o => o.EnableSensitiveDataLogging = true);
    }, app =>
    {
        app.MapHealthChecks("/health");
        MapCustomers(app);
    });

    [RequiresDatabaseFact]
    public async Task The_api_migrates_on_startup_serves_data_from_di_and_reports_healthy()
    {
        var cs = NewDatabase();
        await using var host = Host(cs, migrate: true);
        await host.StartAsync();

        var health = await host.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());

        var created = await host.Http.PostAsJsonAsync("/customers", new { email = "ann@x.io", name = "Ann" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var read = await host.Http.GetFromJsonAsync<CustomerDto>("/customers/ann@x.io");
        Assert.Equal(new CustomerDto(1, "ann@x.io", "Ann"), read);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/customers/bob@x.io")).StatusCode);

        // One pooled data source, keyed by the database class, is what the database object uses.
        var services = host.App.Services;
        var db = services.GetRequiredService<TDb>();
        Assert.Same(db, services.GetRequiredService<TDb>());
        Assert.Same(services.GetRequiredKeyedService<DbDataSource>(typeof(TDb)), db.DataSource);
        Assert.IsType(ExpectedDataSourceType, db.DataSource);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(cs, "SELECT COUNT(*) FROM dbops_migrations")));

        var migrated = Assert.Single(host.Logs.Lines, l => l.Event.Id == 4111);
        Assert.Equal("DbOps.Migrations", migrated.Category);
        Assert.Equal("ShopDb migrated on startup: 1 applied, 0 already applied", migrated.Message[..migrated.Message.IndexOf(" (", StringComparison.Ordinal)]);
        Assert.Contains(host.Logs.Lines, l => l.Message.StartsWith("Applied migration 0001_initial.sql in ", StringComparison.Ordinal));
    }

    [RequiresDatabaseFact]
    public async Task Health_is_unhealthy_while_migrations_are_pending_and_healthy_once_applied()
    {
        var cs = NewDatabase();
        await using (var host = Host(cs, migrate: false))
        {
            await host.StartAsync();
            var health = await host.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
            var report = await host.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            var entry = report.Entries["ShopDb"];
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.Equal("ShopDb: 1 migration is pending: 0001_initial.sql.", entry.Description);
            Assert.Equal(["0001_initial.sql"], (string[])entry.Data["pendingMigrations"]);

            await host.App.Services.GetRequiredService<TDb>().MigrateAsync();
            health = await host.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [RequiresDatabaseFact]
    public async Task Health_is_degraded_when_the_live_structure_differs_from_the_schema()
    {
        var cs = NewDatabase();
        await using var host = Host(cs, migrate: true);
        await host.StartAsync();
        Assert.Equal("Healthy", await host.Http.GetStringAsync("/health"));
        // A hand-made change: a column nobody declared.
        await ScalarAsync(cs, "ALTER TABLE customers ADD COLUMN hotfix integer");
        var health = await host.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        var entry = (await host.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["ShopDb"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("ShopDb: The database differs from the schema of ShopDb (1 difference):", entry.Description);
        Assert.Contains("hotfix", Assert.Single((string[])entry.Data["schemaDifferences"]));
    }

    [RequiresDatabaseFact]
    public async Task Health_is_unhealthy_when_the_database_cannot_be_reached()
    {
        await using var host = Host(UnreachableDatabase(), migrate: false);
        await host.StartAsync();
        var health = await host.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var entry = (await host.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["ShopDb"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith("ShopDb: the database cannot be reached: ", entry.Description);
        Assert.NotNull(entry.Exception);
    }

    [RequiresDatabaseFact]
    public async Task Several_hosts_starting_at_once_apply_each_migration_once()
    {
        var cs = NewDatabase();
        var hosts = Enumerable.Range(0, 4).Select(_ => Host(cs, migrate: true)).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => Task.Run(h.StartAsync)));
            foreach (var h in hosts) Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync("/health")).StatusCode);
            var applied = hosts.SelectMany(h => h.Logs.Lines).Count(l => l.Message.StartsWith("Applied migration 0001_initial.sql", StringComparison.Ordinal));
            Assert.Equal(1, applied);
            Assert.Equal(4, hosts.Count(h => h.Logs.Lines.Any(l => l.Event.Id == 4111)));
            Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(cs, "SELECT COUNT(*) FROM dbops_migrations")));
        }
        finally
        {
            foreach (var h in hosts) await h.DisposeAsync();
        }
    }

    [RequiresDatabaseFact]
    public async Task A_failing_migration_fails_the_start_with_one_clear_log_line()
    {
        var cs = NewDatabase();
        // A table of that name already exists, so 0001_initial.sql fails on its CREATE TABLE.
        await ScalarAsync(cs, "CREATE TABLE customers (x int)");
        await using var host = Host(cs, migrate: true);
        var ex = await Assert.ThrowsAsync<DbOpsMigrationException>(host.StartAsync);
        Assert.Equal("0001_initial.sql", ex.ScriptName);
        var line = Assert.Single(host.Logs.Lines, l => l.Level == LogLevel.Critical);
        Assert.Equal(4110, line.Event.Id);
        Assert.StartsWith("Migrating ShopDb failed at 0001_initial.sql; the application does not start. ", line.Message);
        Assert.Contains("customers", line.Message);
        // The web server never started: nothing was migrated and nothing listens.
        Assert.Equal(0L, Convert.ToInt64(await ScalarAsync(cs, "SELECT COUNT(*) FROM dbops_migrations")));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.StartsWith("Now listening on", StringComparison.Ordinal));
    }

    [RequiresDatabaseFact]
    public async Task A_missing_connection_string_fails_the_start_naming_the_configuration_key()
    {
        await using var host = Host(null, migrate: false);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(host.StartAsync);
        Assert.Equal("ShopDb has no connection string: the configuration has no ConnectionStrings:Default (set it in appsettings.json or the environment variable ConnectionStrings__Default).",
            Assert.Single(ex.Failures));
    }

    [RequiresDatabaseFact]
    public async Task Calls_are_spans_with_the_database_conventions_under_the_request_span_and_are_measured()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var cs = NewDatabase();
        ActivityTraceId trace;
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddSource(DbOpsTelemetry.Name, "Microsoft.AspNetCore", TestSource.Name).AddInMemoryExporter(spans).Build())
        using (var meters = Sdk.CreateMeterProviderBuilder().AddMeter(DbOpsTelemetry.Name).AddInMemoryExporter(metrics).Build())
        {
            await using (var host = Host(cs, migrate: true))
            {
                await host.StartAsync();
                using (var parent = TestSource.StartActivity("test")!)
                {
                    trace = parent.TraceId;
                    Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsJsonAsync("/customers", new { email = "ann@x.io", name = "Ann" })).StatusCode);
                    Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/customers/ann@x.io")).StatusCode);
                    // The same email again: a unique violation, so a failed call (the endpoint answers 500).
                    Assert.Equal(HttpStatusCode.InternalServerError, (await host.Http.PostAsJsonAsync("/customers", new { email = "ann@x.io", name = "Ann" })).StatusCode);
                }
            }
            tracing.ForceFlush();
            meters.ForceFlush();
        }
        var mine = spans.Where(s => s.TraceId == trace).ToList();
        var requests = mine.Where(s => s.Source.Name == "Microsoft.AspNetCore").ToList();
        var calls = mine.Where(s => s.Source.Name == DbOpsTelemetry.Name).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(3, requests.Count);
        Assert.Equal(["INSERT customers", "SELECT customers", "INSERT customers"], calls.Select(s => s.DisplayName));
        for (var i = 0; i < 3; i++)
        {
            var call = calls[i];
            Assert.Equal(ActivityKind.Client, call.Kind);
            // Each call is a child of its request's server span.
            Assert.Contains(requests, r => r.SpanId == call.ParentSpanId);
            Assert.Equal(DbSystem, call.GetTagItem("db.system"));
            Assert.Equal(DbSystem, call.GetTagItem("db.system.name"));
            Assert.Equal("customers", call.GetTagItem("db.collection.name"));
            var text = Assert.IsType<string>(call.GetTagItem("db.query.text"));
            Assert.DoesNotContain("ann@x.io", text);
        }
        Assert.Equal("INSERT", calls[0].GetTagItem("db.operation.name"));
        Assert.StartsWith("INSERT INTO \"customers\" (\"email\", \"name\") VALUES (", (string)calls[0].GetTagItem("db.query.text")!);
        Assert.Equal("SELECT", calls[1].GetTagItem("db.operation.name"));
        Assert.Equal(ActivityStatusCode.Unset, calls[0].Status);
        Assert.Equal(ActivityStatusCode.Error, calls[2].Status);
        Assert.NotNull(calls[2].GetTagItem("error.type"));

        // Metrics: the duration of each call (tagged like the spans) and the migration applied at startup.
        var duration = metrics.Last(m => m.Name == "db.client.operation.duration");
        Assert.Equal("s", duration.Unit);
        var points = Points(duration).ToList();
        Assert.Equal(2, points.Where(p => Tag(p, "db.operation.name") == "INSERT" && Tag(p, "db.system.name") == DbSystem).Sum(p => p.GetHistogramCount()));
        Assert.Equal(1, points.Where(p => Tag(p, "error.type") is not null).Sum(p => p.GetHistogramCount()));
        var applied = metrics.Last(m => m.Name == "dbops.migrations.applied");
        Assert.Equal(1, Points(applied).Where(p => Tag(p, "dbops.migration.name") == "0001_initial.sql").Sum(p => p.GetSumLong()));
    }

    [RequiresDatabaseFact]
    public async Task Sql_is_logged_at_debug_without_values_unless_sensitive_data_logging_is_on()
    {
        foreach (var sensitive in new[] { false, true })
        {
            await using var host = Host(NewDatabase(), migrate: true, sensitiveDataLogging: sensitive);
            await host.StartAsync();
            await host.Http.PostAsJsonAsync("/customers", new { email = "ann@x.io", name = "Ann" });
            var line = Assert.Single(host.Logs.Lines, l => l.Event.Id == 4120);
            Assert.Equal("DbOps.Command", line.Category);
            Assert.Equal(LogLevel.Debug, line.Level);
            Assert.Matches("^Executed DbCommand \\([0-9]+ ms\\)", line.Message);
            Assert.Contains("\nINSERT INTO \"customers\"", line.Message);
            var all = string.Join("\n", host.Logs.Lines.Select(l => l.Message));
            if (sensitive) Assert.Contains(ValueLogged("ann@x.io"), all);
            else
            {
                Assert.DoesNotContain("ann@x.io", all);
                if (ParametersInCommandLog) Assert.Contains("='?', ", line.Message);
            }
        }
    }

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var p in metric.GetMetricPoints()) yield return p;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var t in point.Tags) if (t.Key == key) return t.Value?.ToString();
        return null;
    }

    public sealed record CustomerDto(long Id, string Email, string Name);

    protected static IResult Found<T>(T? value) where T : class => value is null ? Results.NotFound() : Results.Ok(value);
}
