using Microsoft.Data.Sqlite;
using TestData;

namespace DbOps.Generated.Tests;

/// <summary>
/// SQLite storage is EF Core's (EFCore.Sqlite Sqlite*TypeMapping + Microsoft.Data.Sqlite SqliteValueBinder): a row
/// written by DbOps has exactly EF's text forms, and a row written in EF's forms reads back exactly.
/// </summary>
public class SqliteStorageTests
{
    [Fact]
    public async Task Values_are_stored_in_EF_Core_text_forms()
    {
        await using var db = await TestDatabase.CreateAsync();
        var zoo = TypeRoundTripTests.Full();
        zoo.Id = Guid.Parse("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
        zoo.At = new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(1234567));       // 100 ns precision survives on SQLite
        zoo.Stamp = new DateTime(2023, 12, 31, 23, 59, 59).AddTicks(9_999_999);
        zoo.StampOffset = new DateTimeOffset(2024, 6, 1, 12, 30, 45, TimeSpan.FromHours(5.5)).AddTicks(1234567);
        zoo.NAt = new TimeOnly(8, 0);
        zoo.NAmount = 1.5m;
        await db.TypeZoos.InsertAsync(zoo);

        var raw = await RawAsync(db, "SELECT id, token, amount, n_amount, day, at, n_at, stamp, stamp_offset, b, nb, color, typeof(hash) FROM type_zoo");
        Assert.Equal(
        [
            "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", "D3B07384-D9A0-4C9B-8F5E-1A2B3C4D5E6F", "123456789012.345678", "1.5",
            "2024-02-29", "23:59:59.1234567", "08:00:00", "2023-12-31 23:59:59.9999999", "2024-06-01 12:30:45.1234567+05:30",
            "1", "0", "Blue", "blob",
        ], raw);
        TypeRoundTripTests.AssertSame(zoo, (await db.TypeZoos.GetAsync(zoo.Id))!);
    }

    [Fact]
    public async Task Rows_written_in_EF_Core_forms_read_back_exactly()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var conn = new SqliteConnection(db.DataSource.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            // Literals exactly as EF Core's SQLite type mappings generate them.
            cmd.CommandText = """
                INSERT INTO customers (email, name, created_at) VALUES ('ef@x.io', 'EF', '2024-01-02 03:04:05.5+01:00');
                INSERT INTO orders (id, customer_id, status, total, placed_at)
                VALUES ('6F9619FF-8B86-D011-B42D-00CF4FC964FF', last_insert_rowid(), 'Paid', '12.30', '2024-01-02 03:04:05');
                """;
            await cmd.ExecuteNonQueryAsync();
        }
        var c = await db.Customers.GetByEmailAsync("ef@x.io");
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 500, TimeSpan.FromHours(1)), c!.CreatedAt);
        var o = Assert.Single(await db.Orders.ListByCustomerIdAsync(c.Id));
        Assert.Equal(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), o.Id);
        Assert.Equal((OrderStatus.Paid, 12.30m), (o.Status, o.Total));
        Assert.NotNull(await db.Orders.GetAsync(o.Id)); // lookups by a guid key match EF's uppercase text
    }

    [Fact]
    public async Task Connections_enforce_foreign_keys_and_wait_for_locks()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(["1", "30000"], await RawAsync(db, "SELECT (SELECT foreign_keys FROM pragma_foreign_keys), (SELECT timeout FROM pragma_busy_timeout)"));
    }

    private static async Task<List<string>> RawAsync(TestDb db, string sql)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return [.. Enumerable.Range(0, r.FieldCount).Select(i => Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!)];
    }
}
