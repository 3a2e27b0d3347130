using DbOps.Runtime;

namespace DbOps.Runtime.Tests;

/// <summary>DbOpsBulkReader feeds SqlBulkCopy (SQL Server InsertManyAsync); a cancelled bulk insert must stop pulling rows.</summary>
public class BulkReaderTests
{
    private static IEnumerable<int> Endless() { for (var i = 0; ; i++) yield return i; }

    private static async IAsyncEnumerable<int> EndlessAsync()
    {
        for (var i = 0; ; i++) { await Task.Yield(); yield return i; } // ignores its cancellation token on purpose
    }

    [Fact]
    public async Task Stops_reading_when_cancelled()
    {
        using var cts = new CancellationTokenSource();
        await using var reader = new DbOpsBulkReader<int>(Endless(), ["v"], static (v, _) => v, static _ => { }, cts.Token);
        Assert.True(reader.Read());
        Assert.Equal(0, reader.GetValue(0));
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => reader.Read());
        Assert.Equal(1, reader.RowCount);

        using var cts2 = new CancellationTokenSource();
        await using var asyncReader = new DbOpsBulkReader<int>(EndlessAsync(), ["v"], static (v, _) => v, static _ => { }, cts2.Token);
        Assert.True(await asyncReader.ReadAsync(CancellationToken.None));
        cts2.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asyncReader.ReadAsync(CancellationToken.None));
        Assert.Equal(1, asyncReader.RowCount);
    }
}
