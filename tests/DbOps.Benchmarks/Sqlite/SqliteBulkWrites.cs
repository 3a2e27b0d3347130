using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dapper;
using DbOps.Benchmarks.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DbOps.Benchmarks;

/// <summary>
/// Updating and deleting 100,000 existing orders on SQLite. Before every iteration the table is refilled with the same
/// 100,000 rows (not measured); every contestant then updates the same prebuilt objects or deletes the same keys.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[InvocationCount(1), WarmupCount(1), IterationCount(5)]
public class SqliteBulkWrites
{
    private const string UpdateSql = "UPDATE orders SET customer_id = @customer_id, status = @status, total = @total, placed_at = @placed_at WHERE id = @id";

    private SqliteDatabase _database = null!;
    private string _cs = null!;
    private BenchDb _db = null!;
    private PooledDbContextFactory<BenchContext> _ef = null!;
    private List<Order> _rows = null!;
    private List<Order> _updated = null!;
    private Guid[] _keys = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        SqliteDatabase.RegisterDapperHandlers();
        _database = await SqliteDatabase.CreateAsync(withOrders: false);
        _cs = _database.ConnectionString;
        _db = BenchDb.Create(_cs);
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
        using (var connection = new SqliteConnection(_cs))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM orders; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }
        _db.Orders.InsertManyAsync(_rows).GetAwaiter().GetResult();
    }

    private static (SqliteCommand Command, SqliteParameter[] Parameters) Prepared(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, SqliteType Type)[] ps)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var parameters = ps.Select(p => command.Parameters.Add(p.Name, p.Type)).ToArray();
        command.Prepare();
        return (command, parameters);
    }

    // ---- update 100k ---------------------------------------------------------------------------------------------

    /// <summary>The fastest hand-written way on SQLite: one prepared UPDATE reused in one transaction.</summary>
    [Benchmark(Baseline = true, Description = "ADO.NET (prepared, one transaction)"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_AdoNet()
    {
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var (command, p) = Prepared(connection, transaction, UpdateSql,
            ("@customer_id", SqliteType.Integer), ("@status", SqliteType.Text), ("@total", SqliteType.Text), ("@placed_at", SqliteType.Text), ("@id", SqliteType.Text));
        long count = 0;
        using (command)
        {
            foreach (var order in _updated)
            {
                p[0].Value = order.CustomerId;
                p[1].Value = order.Status.ToString();
                p[2].Value = order.Total;
                p[3].Value = order.PlacedAt;
                p[4].Value = order.Id;
                count += command.ExecuteNonQuery();
            }
        }
        await transaction.CommitAsync();
        return count;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_Dapper()
    {
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var count = await connection.ExecuteAsync(UpdateSql,
            _updated.Select(o => new { id = o.Id, customer_id = o.CustomerId, status = o.Status.ToString(), total = o.Total, placed_at = o.PlacedAt }), transaction);
        await transaction.CommitAsync();
        return count;
    }

    [Benchmark(Description = "EF Core SaveChanges"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_EfCoreSaveChanges()
    {
        await using var context = _ef.CreateDbContext();
        context.Orders.UpdateRange(_updated);
        return await context.SaveChangesAsync();
    }

    /// <summary>Set-based on the stored values (the same result here, not the same job: no values are sent).</summary>
    [Benchmark(Description = "EF Core ExecuteUpdate"), BenchmarkCategory("Update 100k")]
    public async Task<long> Update_EfCoreExecuteUpdate()
    {
        await using var context = _ef.CreateDbContext();
        // decimal arithmetic is not translatable on SQLite (stored as TEXT): set the status only.
        return await context.Orders.ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Paid));
    }

    [Benchmark(Description = "DbOps UpdateManyAsync"), BenchmarkCategory("Update 100k")]
    public Task<long> Update_DbOps() => _db.Orders.UpdateManyAsync(_updated);

    // ---- delete 100k ---------------------------------------------------------------------------------------------

    [Benchmark(Baseline = true, Description = "ADO.NET (prepared, one transaction)"), BenchmarkCategory("Delete 100k")]
    public async Task<long> Delete_AdoNet()
    {
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var (command, p) = Prepared(connection, transaction, "DELETE FROM orders WHERE id = @id", ("@id", SqliteType.Text));
        long count = 0;
        using (command)
        {
            foreach (var id in _keys)
            {
                p[0].Value = id.ToString().ToUpperInvariant();
                count += command.ExecuteNonQuery();
            }
        }
        await transaction.CommitAsync();
        return count;
    }

    [Benchmark(Description = "Dapper"), BenchmarkCategory("Delete 100k")]
    public async Task<long> Delete_Dapper()
    {
        await using var connection = new SqliteConnection(_cs);
        await connection.OpenAsync();
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

/// <summary>The batch lookup on SQLite (see <see cref="BatchLookupBenchmarks"/>).</summary>
public class SqliteBatchLookup : BatchLookupBenchmarks
{
    private SqliteDatabase _database = null!;

    protected override async Task<string> CreateDatabaseAsync() => (_database = await SqliteDatabase.CreateAsync(withOrders: true)).ConnectionString;
    protected override ValueTask DisposeDatabaseAsync() => _database.DisposeAsync();
}
