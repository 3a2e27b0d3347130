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
/// Updating and deleting 100,000 existing orders on PostgreSQL. Before every iteration the table is refilled with the
/// same 100,000 rows (binary COPY, not measured); every contestant then updates the same prebuilt objects (new status
/// and total) or deletes the same keys.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[InvocationCount(1), WarmupCount(1), IterationCount(5)]
public class PostgreSqlBulkWrites
{
    private const string CopySql = "COPY orders (id, customer_id, status, total, placed_at) FROM STDIN (FORMAT BINARY)";

    private PostgreSqlDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private BenchDb _db = null!;
    private PooledDbContextFactory<BenchContext> _ef = null!;
    private List<Order> _rows = null!;
    private List<Order> _updated = null!;
    private Guid[] _keys = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        PostgreSqlDatabase.RegisterDapperHandlers();
        _database = await PostgreSqlDatabase.CreateAsync(withOrders: false);
        _dataSource = _database.DataSource;
        _db = BenchDb.Create(_database.ConnectionString);
        _ef = _database.CreateEfFactory();
        _rows = BenchData.Orders(BenchData.BulkRows, seed: 3);
        _updated = [.. _rows.Select(o => new Order { Id = o.Id, CustomerId = o.CustomerId, Status = OrderStatus.Paid, Total = o.Total + 1, PlacedAt = o.PlacedAt })];
        _keys = [.. _rows.Select(o => o.Id)];
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }

    [IterationSetup]
    public void Refill()
    {
        using var connection = _dataSource.OpenConnection();
        using (var truncate = new NpgsqlCommand("TRUNCATE orders", connection)) truncate.ExecuteNonQuery();
        using (var importer = connection.BeginBinaryImport(CopySql))
        {
            Write(importer, _rows);
            importer.Complete();
        }
        using var analyze = new NpgsqlCommand("VACUUM ANALYZE orders", connection);
        analyze.ExecuteNonQuery();
    }

    /// <summary>Hand-written binary COPY rows, the synchronous Write per field as in Npgsql's documentation.</summary>
    private static void Write(NpgsqlBinaryImporter importer, List<Order> rows)
    {
        foreach (var order in rows)
        {
            importer.StartRow();
            importer.Write(order.Id, NpgsqlDbType.Uuid);
            importer.Write(order.CustomerId, NpgsqlDbType.Bigint);
            importer.Write(order.Status.ToString(), NpgsqlDbType.Text);
            importer.Write(order.Total, NpgsqlDbType.Numeric);
            importer.Write(order.PlacedAt, NpgsqlDbType.TimestampTz);
        }
    }

    // ---- update 100k ---------------------------------------------------------------------------------------------

    /// <summary>The fastest hand-written way: binary COPY into a temporary table, then one UPDATE ... FROM.</summary>
    [Benchmark(Baseline = true, Description = "ADO.NET (COPY + UPDATE FROM)"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_AdoNet()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE stage ON COMMIT DROP AS SELECT id, customer_id, status, total, placed_at FROM orders WITH NO DATA", connection, transaction))
            await create.ExecuteNonQueryAsync();
        await using (var importer = await connection.BeginBinaryImportAsync("COPY stage (id, customer_id, status, total, placed_at) FROM STDIN (FORMAT BINARY)"))
        {
            Write(importer, _updated);
            await importer.CompleteAsync();
        }
        await using var update = new NpgsqlCommand(
            "UPDATE orders AS t SET customer_id = s.customer_id, status = s.status, total = s.total, placed_at = s.placed_at FROM stage AS s WHERE t.id = s.id",
            connection, transaction);
        long count = await update.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return count;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_Dapper()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var count = await connection.ExecuteAsync(
            "UPDATE orders SET customer_id = @customer_id, status = @status, total = @total, placed_at = @placed_at WHERE id = @id",
            _updated.Select(o => new { id = o.Id, customer_id = o.CustomerId, status = o.Status.ToString(), total = o.Total, placed_at = o.PlacedAt }), transaction);
        await transaction.CommitAsync();
        return count;
    }

    /// <summary>Tracked entities: the 100,000 objects attached as modified, one SaveChanges (EF Core batches the UPDATEs).</summary>
    [Benchmark(Description = "EF Core SaveChanges"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_EfCoreSaveChanges()
    {
        await using var context = _ef.CreateDbContext();
        context.Orders.UpdateRange(_updated);
        return await context.SaveChangesAsync();
    }

    /// <summary>Set-based: one UPDATE computed in the database (the same result here, not the same job: no values sent).</summary>
    [Benchmark(Description = "EF Core ExecuteUpdate"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_EfCoreExecuteUpdate()
    {
        await using var context = _ef.CreateDbContext();
        return await context.Orders.ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Paid).SetProperty(o => o.Total, o => o.Total + 1));
    }

    [Benchmark(Description = "DbOps UpdateManyAsync"), BenchmarkCategory("Update 100k")]
    public Task<long> Update_DbOps() => _db.Orders.UpdateManyAsync(_updated);

    // ---- delete 100k ---------------------------------------------------------------------------------------------

    /// <summary>The fastest hand-written way for keys: one DELETE with the keys as one array parameter.</summary>
    [Benchmark(Baseline = true, Description = "ADO.NET (= ANY($1))"), BenchmarkCategory("Delete 100k")]
    public async Task<long> Delete_AdoNet()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("DELETE FROM orders WHERE id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = _keys });
        return await command.ExecuteNonQueryAsync();
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Delete 100k")]
    public async Task<long> Delete_Dapper()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var count = await connection.ExecuteAsync("DELETE FROM orders WHERE id = @id", _keys.Select(id => new { id }), transaction);
        await transaction.CommitAsync();
        return count;
    }

    [Benchmark(Description = "EF Core SaveChanges"), BenchmarkCategory("Delete 100k")]
    public async Task<long> Delete_EfCoreSaveChanges()
    {
        await using var context = _ef.CreateDbContext();
        context.Orders.RemoveRange(_keys.Select(id => new Order { Id = id }));
        return await context.SaveChangesAsync();
    }

    [Benchmark(Description = "EF Core ExecuteDelete"), BenchmarkCategory("Delete 100k")]
    public async Task<long> Delete_EfCoreExecuteDelete()
    {
        await using var context = _ef.CreateDbContext();
        return await context.Orders.Where(o => _keys.Contains(o.Id)).ExecuteDeleteAsync();
    }

    [Benchmark(Description = "DbOps DeleteManyAsync"), BenchmarkCategory("Delete 100k")]
    public Task<long> Delete_DbOps() => _db.Orders.DeleteManyAsync(_keys);
}

/// <summary>The batch lookup on PostgreSQL (see <see cref="BatchLookupBenchmarks"/>).</summary>
public class PostgreSqlBatchLookup : BatchLookupBenchmarks
{
    private PostgreSqlDatabase _database = null!;

    protected override async Task<string> CreateDatabaseAsync() => (_database = await PostgreSqlDatabase.CreateAsync(withOrders: true)).ConnectionString;
    protected override ValueTask DisposeDatabaseAsync() => _database.DisposeAsync();
}
