using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DbOps.Benchmarks.Data;

namespace DbOps.Benchmarks;

/// <summary>
/// Loading the orders of 1,000 customers (20,000 orders in all): one batch lookup (ListByCustomerIdsAsync) against
/// 1,000 single lookups (ListByCustomerIdAsync, the N+1 pattern). Each provider's project derives it with its database.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[WarmupCount(2), IterationCount(10)]
public abstract class BatchLookupBenchmarks
{
    private BenchDb _db = null!;
    private long[] _customers = null!;

    /// <summary>Creates the seeded database (customers and orders); returns its connection string.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract ValueTask DisposeDatabaseAsync();

    [GlobalSetup]
    public async Task Setup()
    {
        _db = BenchDb.Create(await CreateDatabaseAsync());
        _customers = [.. Enumerable.Range(1, BenchData.CustomerCount).Select(i => (long)i)];
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _db.DisposeAsync();
        await DisposeDatabaseAsync();
    }

    [Benchmark(Baseline = true, Description = "1,000 x ListByCustomerIdAsync"), BenchmarkCategory("Children of 1,000 parents")]
    public async Task<int> Children_Single()
    {
        var n = 0;
        foreach (var id in _customers) n += (await _db.Orders.ListByCustomerIdAsync(id)).Count;
        return n;
    }

    [Benchmark(Description = "ListByCustomerIdsAsync (batch)"), BenchmarkCategory("Children of 1,000 parents")]
    public async Task<int> Children_Batch() => (await _db.Orders.ListByCustomerIdsAsync(_customers)).Count;
}
