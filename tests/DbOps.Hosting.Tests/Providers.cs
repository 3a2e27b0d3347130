using Microsoft.Extensions.DependencyInjection;
using DbOps.Testing;
using System.Diagnostics;
using System.Net.Http.Json;
using DbOps.Runtime;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DbOps.Hosting.Tests;

/// <summary>
/// The provider tests share their methods (HostingTests), so they skip together like PostgresFact when the PostgreSQL
/// server binaries are absent (and fail under CI, which requires them).
/// </summary>
public sealed class RequiresDatabaseFactAttribute : FactAttribute
{
    public RequiresDatabaseFactAttribute()
    {
        if (PostgresServer.FindBinDir() is null && !PostgresServer.Required)
            Skip = "PostgreSQL server binaries not found (apt-get install postgresql, or set DBOPS_PG_BINDIR); CI requires them.";
    }
}

[Collection("hosting")] // one class at a time: span and metric listeners see the whole process
public sealed class SqliteHostingTests : HostingTests<global::Hosting.Sqlite.ShopDb>, IDisposable
{
    private readonly TempDirectory _dir = new("dbops-hosting");

    protected override string NewDatabase() => $"Data Source={_dir.Combine($"{Guid.NewGuid():N}.db")}";

    // A file that is not a SQLite database: opening it works, the first statement fails.
    protected override string UnreachableDatabase() => $"Data Source={_dir.Write("not-a-database.db", new string('x', 4096))}";

    protected override Type ExpectedDataSourceType => typeof(DbOps.Runtime.SqliteDbOpsDataSource);

    protected override string DbSystem => "sqlite";

    protected override void AddDatabase(WebApplicationBuilder builder, bool migrateOnStartup)
    {
        var db = global::Hosting.Sqlite.ShopDbServiceCollectionExtensions.AddShopDb(builder.Services, builder.Configuration);
        if (migrateOnStartup) db.MigrateOnStartup();
        global::Hosting.Sqlite.ShopDbServiceCollectionExtensions.AddShopDbHealthCheck(builder.Services.AddHealthChecks());
    }

    protected override void MapCustomers(WebApplication app)
    {
        app.MapPost("/customers", async (CustomerDto c, global::Hosting.Sqlite.ShopDb db) =>
        {
            var row = await db.Customers.InsertAsync(new global::Hosting.Sqlite.Customer { Email = c.Email, Name = c.Name });
            return new CustomerDto(row.Id, row.Email, row.Name);
        });
        app.MapGet("/customers/{email}", async (string email, global::Hosting.Sqlite.ShopDb db) =>
            Found(await db.Customers.GetByEmailAsync(email) is { } r ? new CustomerDto(r.Id, r.Email, r.Name) : null));
    }

    protected override async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}

[Collection("hosting")]
public sealed class PostgreSqlHostingTests : HostingTests<global::Hosting.PostgreSql.ShopDb>
{
    protected override string NewDatabase() => PostgresServer.Instance.CreateDatabase("hosting");

    protected override string UnreachableDatabase() => $"Host=127.0.0.1;Port={PostgresServer.FreePort()};Username=postgres;Database=none;Timeout=3";

    protected override Type ExpectedDataSourceType => typeof(NpgsqlDataSource).Assembly.GetType("Npgsql.PoolingDataSource")!;

    protected override string DbSystem => "postgresql";

    protected override bool ParametersInCommandLog => false;

    // Npgsql's own command log, whose parameter logging DbOps switches on with sensitive data logging.
    protected override string ValueLogged(string value) => value;

    [RequiresDatabaseFact]
    public async Task With_npgsql_tracing_on_each_command_is_one_span_npgsql_s_under_the_request_span()
    {
        var spans = new List<Activity>();
        ActivityTraceId trace;
        using (var tracing = Sdk.CreateTracerProviderBuilder().AddSource(DbOpsTelemetry.Name, "Microsoft.AspNetCore", TestSource.Name).AddNpgsql()
                   .AddInMemoryExporter(spans).Build())
        {
            await using (var host = TestHost.Create(NewDatabase(), b => AddDatabase(b, migrateOnStartup: true), MapCustomers))
            {
                await host.StartAsync();
                using (var parent = TestSource.StartActivity("test")!)
                {
                    trace = parent.TraceId;
                    await host.Http.PostAsJsonAsync("/customers", new { email = "ann@x.io", name = "Ann" });
                }
            }
            tracing.ForceFlush();
        }
        var mine = spans.Where(s => s.TraceId == trace).ToList();
        Assert.DoesNotContain(mine, s => s.Source.Name == DbOpsTelemetry.Name);
        var request = Assert.Single(mine, s => s.Source.Name == "Microsoft.AspNetCore");
        var command = Assert.Single(mine, s => s.Source.Name == "Npgsql");
        Assert.Equal(request.SpanId, command.ParentSpanId);
        Assert.Contains("INSERT INTO \"customers\"", command.Tags.Single(t => t.Key is "db.query.text" or "db.statement").Value);
    }

    protected override void AddDatabase(WebApplicationBuilder builder, bool migrateOnStartup)
    {
        var db = global::Hosting.PostgreSql.ShopDbServiceCollectionExtensions.AddShopDb(builder.Services, builder.Configuration);
        if (migrateOnStartup) db.MigrateOnStartup();
        global::Hosting.PostgreSql.ShopDbServiceCollectionExtensions.AddShopDbHealthCheck(builder.Services.AddHealthChecks());
    }

    protected override void MapCustomers(WebApplication app)
    {
        app.MapPost("/customers", async (CustomerDto c, global::Hosting.PostgreSql.ShopDb db) =>
        {
            var row = await db.Customers.InsertAsync(new global::Hosting.PostgreSql.Customer { Email = c.Email, Name = c.Name });
            return new CustomerDto(row.Id, row.Email, row.Name);
        });
        app.MapGet("/customers/{email}", async (string email, global::Hosting.PostgreSql.ShopDb db) =>
            Found(await db.Customers.GetByEmailAsync(email) is { } r ? new CustomerDto(r.Id, r.Email, r.Name) : null));
    }

    protected override async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
