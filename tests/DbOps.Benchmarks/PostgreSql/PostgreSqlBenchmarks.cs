using System.Data;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dapper;
using DbOps.Benchmarks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace DbOps.Benchmarks;

/// <summary>
/// Single-row operations and the aggregation on PostgreSQL. Every call takes a pooled connection and gives it back,
/// as a request in a web application would; raw ADO.NET is the baseline of each category.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[WarmupCount(3), IterationCount(20)] // every call is a loopback round trip: more iterations against scheduler noise
public class PostgreSqlOperations
{
    // Positional parameters: what a hand-tuned Npgsql caller writes (no @name rewriting), and what DbOps generates.
    private const string GetSqlPositional = "SELECT id, customer_id, status, total, placed_at FROM orders WHERE id = $1";
    private const string InsertSqlPositional = "INSERT INTO orders (id, customer_id, status, total, placed_at) VALUES ($1, $2, $3, $4, $5)";

    private PostgreSqlDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private BenchDb _db = null!;
    private PooledDbContextFactory<BenchContext> _ef = null!;
    private Guid[] _keys = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        PostgreSqlDatabase.RegisterDapperHandlers();
        _database = await PostgreSqlDatabase.CreateAsync(withOrders: true);
        _dataSource = _database.DataSource;
        _db = BenchDb.Create(_database.ConnectionString);
        _ef = _database.CreateEfFactory();
        _keys = [.. BenchData.Orders(BenchData.OrderCount, seed: 1).Select(o => o.Id)];
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Guid NextKey() => _keys[_next++ % _keys.Length];
    private long NextCustomer() => _next++ % BenchData.CustomerCount + 1;

    // ---- get by key --------------------------------------------------------------------------------------------

    [Benchmark(Baseline = true, Description = "ADO.NET"), BenchmarkCategory("Get by key")]
    public async Task<Order?> Get_AdoNet()
    {
        var id = NextKey();
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(GetSqlPositional, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow);
        return await reader.ReadAsync() ? ReadOrder(reader) : null;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Get by key")]
    public async Task<Order?> Get_Dapper()
    {
        var id = NextKey();
        await using var connection = await _dataSource.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Order>(BenchData.GetOrderSql, new { id });
    }

    [Benchmark(Description = "EF Core"), BenchmarkCategory("Get by key")]
    public async Task<Order?> Get_EfCore()
    {
        var id = NextKey();
        await using var context = _ef.CreateDbContext();
        return await context.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id);
    }

    [Benchmark(Description = "DbOps"), BenchmarkCategory("Get by key")]
    public Task<Order?> Get_DbOps() => _db.Orders.GetAsync(NextKey());

    // ---- insert one row ----------------------------------------------------------------------------------------

    [Benchmark(Baseline = true, Description = "ADO.NET"), BenchmarkCategory("Insert one row")]
    public async Task<Order> Insert_AdoNet()
    {
        var order = BenchData.NewOrder(NextCustomer());
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(InsertSqlPositional, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = order.Id });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = order.CustomerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = order.Status.ToString() });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = order.Total });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = order.PlacedAt });
        await command.ExecuteNonQueryAsync();
        return order;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Insert one row")]
    public async Task<Order> Insert_Dapper()
    {
        var order = BenchData.NewOrder(NextCustomer());
        await using var connection = await _dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(BenchData.InsertOrderSql, new
        {
            id = order.Id,
            customer_id = order.CustomerId,
            status = order.Status.ToString(), // Dapper sends enums as integers
            total = order.Total,
            placed_at = order.PlacedAt,
        });
        return order;
    }

    [Benchmark(Description = "EF Core"), BenchmarkCategory("Insert one row")]
    public async Task<Order> Insert_EfCore()
    {
        var order = BenchData.NewOrder(NextCustomer());
        await using var context = _ef.CreateDbContext();
        context.Orders.Add(order);
        await context.SaveChangesAsync();
        return order;
    }

    [Benchmark(Description = "DbOps"), BenchmarkCategory("Insert one row")]
    public Task<Order> Insert_DbOps() => _db.Orders.InsertAsync(BenchData.NewOrder(NextCustomer()));

    // ---- aggregation: revenue by customer (about 10k of 20k orders, 1,000 result rows) --------------------------

    [Benchmark(Baseline = true, Description = "ADO.NET"), BenchmarkCategory("Revenue by customer")]
    public async Task<List<RevenueByCustomerRow>> Revenue_AdoNet()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(BenchData.RevenueByCustomerSql, connection);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("since", BenchData.Since));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<RevenueByCustomerRow>();
        while (await reader.ReadAsync())
            rows.Add(new RevenueByCustomerRow(reader.GetInt64(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt64(3)));
        return rows;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Revenue by customer")]
    public async Task<List<RevenueRow>> Revenue_Dapper()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<RevenueRow>(BenchData.RevenueByCustomerSql, new { since = BenchData.Since })).AsList();
    }

    [Benchmark(Description = "EF Core"), BenchmarkCategory("Revenue by customer")]
    public async Task<List<RevenueRow>> Revenue_EfCore()
    {
        await using var context = _ef.CreateDbContext();
        // The same SQL for every contestant (SqlQueryRaw, no tracking).
        return await context.Database
            .SqlQueryRaw<RevenueRow>(BenchData.RevenueByCustomerSql, new NpgsqlParameter<DateTimeOffset>("since", BenchData.Since))
            .ToListAsync();
    }

    [Benchmark(Description = "DbOps"), BenchmarkCategory("Revenue by customer")]
    public Task<IReadOnlyList<RevenueByCustomerRow>> Revenue_DbOps() => _db.RevenueByCustomerAsync(BenchData.Since);

    internal static Order ReadOrder(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        CustomerId = reader.GetInt64(1),
        Status = Enum.Parse<OrderStatus>(reader.GetString(2)),
        Total = reader.GetDecimal(3),
        PlacedAt = reader.GetFieldValue<DateTimeOffset>(4),
    };
}

/// <summary>
/// Bulk insert of 100,000 orders into an empty orders table (TRUNCATE before every iteration), one invocation per
/// iteration. The rows are built once; every contestant inserts the same objects.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[InvocationCount(1), WarmupCount(1), IterationCount(5)]
public class PostgreSqlBulkInsert
{
    private const string CopySql = "COPY orders (id, customer_id, status, total, placed_at) FROM STDIN (FORMAT BINARY)";

    private PostgreSqlDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private BenchDb _db = null!;
    private PooledDbContextFactory<BenchContext> _ef = null!;
    private List<Order> _rows = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        PostgreSqlDatabase.RegisterDapperHandlers();
        _database = await PostgreSqlDatabase.CreateAsync(withOrders: false);
        _dataSource = _database.DataSource;
        _db = BenchDb.Create(_database.ConnectionString);
        _ef = _database.CreateEfFactory();
        _rows = BenchData.Orders(BenchData.BulkRows, seed: 2);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    [IterationSetup]
    public void EmptyOrders()
    {
        using var command = _dataSource.CreateCommand("TRUNCATE orders");
        command.ExecuteNonQuery();
    }

    /// <summary>The hand-written binary COPY, as in Npgsql's documentation (synchronous Write per field).</summary>
    [Benchmark(Baseline = true, Description = "ADO.NET (binary COPY)"), BenchmarkCategory("Bulk insert 100k")]
    public async Task<long> Bulk_AdoNet()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync(CopySql);
        foreach (var order in _rows)
        {
            importer.StartRow();
            importer.Write(order.Id, NpgsqlDbType.Uuid);
            importer.Write(order.CustomerId, NpgsqlDbType.Bigint);
            importer.Write(order.Status.ToString(), NpgsqlDbType.Text);
            importer.Write(order.Total, NpgsqlDbType.Numeric);
            importer.Write(order.PlacedAt, NpgsqlDbType.TimestampTz);
        }
        return (long)await importer.CompleteAsync();
    }

    /// <summary>The same COPY with the async API per field (what DbOps generates): shows what WriteAsync costs.</summary>
    [Benchmark(Description = "ADO.NET (binary COPY, WriteAsync)"), BenchmarkCategory("Bulk insert 100k")]
    public async Task<long> Bulk_AdoNetAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync(CopySql);
        foreach (var order in _rows)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(order.Id, NpgsqlDbType.Uuid);
            await importer.WriteAsync(order.CustomerId, NpgsqlDbType.Bigint);
            await importer.WriteAsync(order.Status.ToString(), NpgsqlDbType.Text);
            await importer.WriteAsync(order.Total, NpgsqlDbType.Numeric);
            await importer.WriteAsync(order.PlacedAt, NpgsqlDbType.TimestampTz);
        }
        return (long)await importer.CompleteAsync();
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Bulk insert 100k")]
    public async Task<long> Bulk_Dapper()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var count = await connection.ExecuteAsync(BenchData.InsertOrderSql, _rows.Select(order => new
        {
            id = order.Id,
            customer_id = order.CustomerId,
            status = order.Status.ToString(),
            total = order.Total,
            placed_at = order.PlacedAt,
        }), transaction);
        await transaction.CommitAsync();
        return count;
    }

    [Benchmark(Description = "EF Core"), BenchmarkCategory("Bulk insert 100k")]
    public async Task<long> Bulk_EfCore()
    {
        await using var context = _ef.CreateDbContext();
        context.Orders.AddRange(_rows);
        return await context.SaveChangesAsync();
    }

    [Benchmark(Description = "DbOps"), BenchmarkCategory("Bulk insert 100k")]
    public Task<long> Bulk_DbOps() => _db.Orders.InsertManyAsync(_rows);
}
