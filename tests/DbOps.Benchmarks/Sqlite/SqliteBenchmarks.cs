using System.Data;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dapper;
using DbOps.Benchmarks.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DbOps.Benchmarks;

/// <summary>
/// Single-row operations and the aggregation on SQLite. Every call opens a pooled connection and closes it again,
/// as a request in a web application would; raw ADO.NET is the baseline of each category.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[WarmupCount(3), IterationCount(10)]
public class SqliteOperations
{
    private SqliteDatabase _database = null!;
    private string _cs = null!;
    private BenchDb _db = null!;
    private PooledDbContextFactory<BenchContext> _ef = null!;
    private Guid[] _keys = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        SqliteDatabase.RegisterDapperHandlers();
        _database = await SqliteDatabase.CreateAsync(withOrders: true);
        _cs = _database.ConnectionString;
        _db = BenchDb.Create(_cs);
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
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = BenchData.GetOrderSql;
        command.Parameters.Add(new SqliteParameter("@id", SqliteType.Text) { Value = id });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow);
        return await reader.ReadAsync() ? ReadOrder(reader) : null;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Get by key")]
    public async Task<Order?> Get_Dapper()
    {
        var id = NextKey();
        await using var connection = new SqliteConnection(_cs);
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
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = BenchData.InsertOrderSql;
        // Microsoft.Data.Sqlite writes Guid, decimal and DateTimeOffset as the same TEXT as EF Core when the type is Text.
        command.Parameters.Add(new SqliteParameter("@id", SqliteType.Text) { Value = order.Id });
        command.Parameters.Add(new SqliteParameter("@customer_id", SqliteType.Integer) { Value = order.CustomerId });
        command.Parameters.Add(new SqliteParameter("@status", SqliteType.Text) { Value = order.Status.ToString() });
        command.Parameters.Add(new SqliteParameter("@total", SqliteType.Text) { Value = order.Total });
        command.Parameters.Add(new SqliteParameter("@placed_at", SqliteType.Text) { Value = order.PlacedAt });
        await command.ExecuteNonQueryAsync();
        return order;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Insert one row")]
    public async Task<Order> Insert_Dapper()
    {
        var order = BenchData.NewOrder(NextCustomer());
        await using var connection = new SqliteConnection(_cs);
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
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = BenchData.RevenueByCustomerSql;
        command.Parameters.Add(new SqliteParameter("@since", SqliteType.Text) { Value = BenchData.Since });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<RevenueByCustomerRow>();
        while (await reader.ReadAsync())
            rows.Add(new RevenueByCustomerRow(reader.GetInt64(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt64(3)));
        return rows;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Revenue by customer")]
    public async Task<List<RevenueRow>> Revenue_Dapper()
    {
        await using var connection = new SqliteConnection(_cs);
        return (await connection.QueryAsync<RevenueRow>(BenchData.RevenueByCustomerSql, new { since = BenchData.Since })).AsList();
    }

    [Benchmark(Description = "EF Core"), BenchmarkCategory("Revenue by customer")]
    public async Task<List<RevenueRow>> Revenue_EfCore()
    {
        await using var context = _ef.CreateDbContext();
        // SQLite cannot compare DateTimeOffset in EF Core LINQ, so EF runs the same SQL (SqlQueryRaw, no tracking).
        return await context.Database
            .SqlQueryRaw<RevenueRow>(BenchData.RevenueByCustomerSql, new SqliteParameter("@since", SqliteType.Text) { Value = BenchData.Since })
            .ToListAsync();
    }

    [Benchmark(Description = "DbOps"), BenchmarkCategory("Revenue by customer")]
    public Task<IReadOnlyList<RevenueByCustomerRow>> Revenue_DbOps() => _db.RevenueByCustomerAsync(BenchData.Since);

    internal static Order ReadOrder(SqliteDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        CustomerId = reader.GetInt64(1),
        Status = Enum.Parse<OrderStatus>(reader.GetString(2)),
        Total = reader.GetDecimal(3),
        PlacedAt = reader.GetFieldValue<DateTimeOffset>(4),
    };
}

/// <summary>
/// Bulk insert of 100,000 orders into an empty orders table (emptied before every iteration), one invocation per
/// iteration. The rows are built once; every contestant inserts the same objects.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[InvocationCount(1), WarmupCount(1), IterationCount(5)]
public class SqliteBulkInsert
{
    private SqliteDatabase _database = null!;
    private string _cs = null!;
    private BenchDb _db = null!;
    private PooledDbContextFactory<BenchContext> _ef = null!;
    private List<Order> _rows = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        SqliteDatabase.RegisterDapperHandlers();
        _database = await SqliteDatabase.CreateAsync(withOrders: false);
        _cs = _database.ConnectionString;
        _db = BenchDb.Create(_cs);
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
        using var connection = new SqliteConnection(_cs);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM orders; PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true, Description = "ADO.NET"), BenchmarkCategory("Bulk insert 100k")]
    public async Task<long> Bulk_AdoNet()
    {
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = BenchData.InsertOrderSql;
        var id = command.Parameters.Add("@id", SqliteType.Text);
        var customerId = command.Parameters.Add("@customer_id", SqliteType.Integer);
        var status = command.Parameters.Add("@status", SqliteType.Text);
        var total = command.Parameters.Add("@total", SqliteType.Text);
        var placedAt = command.Parameters.Add("@placed_at", SqliteType.Text);
        command.Prepare();
        long count = 0;
        foreach (var order in _rows)
        {
            id.Value = order.Id;
            customerId.Value = order.CustomerId;
            status.Value = order.Status.ToString();
            total.Value = order.Total;
            placedAt.Value = order.PlacedAt;
            count += command.ExecuteNonQuery();
        }
        await transaction.CommitAsync();
        return count;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Bulk insert 100k")]
    public async Task<long> Bulk_Dapper()
    {
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
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
