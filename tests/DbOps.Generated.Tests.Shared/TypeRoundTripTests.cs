using TestData;

namespace DbOps.Generated.Tests;

public class TypeRoundTripTests
{
    internal static TypeZoo Full(int seed = 1) => new()
    {
        B = true,
        I16 = -999,
        I32 = int.MinValue + seed,
        I64 = long.MaxValue - seed,
        F32 = 3.1415927f,
        F64 = 1.0 / 3.0,
        Amount = 123456789012.345678m,
        Title = "Grüße, \"quotes\" 'and' ünïcödé 😀",
        Body = new string('x', 10_000),
        Hash = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255],
        Blob = [],
        Token = Guid.Parse("d3b07384-d9a0-4c9b-8f5e-1a2b3c4d5e6f"),
        Day = new DateOnly(2024, 2, 29),
        // Microsecond precision: PostgreSQL time/timestamp/timestamptz store microseconds (SQLite text keeps 100 ns ticks, see SqliteStorageTests).
        At = new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(1234560)),
        Stamp = new DateTime(2023, 12, 31, 23, 59, 59, DateTimeKind.Unspecified).AddTicks(9_999_990),
        StampOffset = new DateTimeOffset(2024, 6, 1, 12, 30, 45, TimeSpan.FromHours(5.5)).AddTicks(1234560),
        Doc = """{"a": 1, "b": [true, null, "x"]}""",
        Color = Color.Blue,
        NB = false,
        NI16 = short.MinValue,
        NI32 = 0,
        NI64 = -1,
        NF32 = float.MaxValue,
        NF64 = double.Epsilon,
        NAmount = -0.000001m,
        NBody = "",
        NBlob = [42],
        NToken = Guid.Empty,
        NDay = DateOnly.MinValue,
        NAt = TimeOnly.MinValue,
        NStamp = new DateTime(1999, 1, 1, 0, 0, 0),
        NStampOffset = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(-8)),
        NDoc = "[]",
        NColor = Color.Red,
    };

    internal static void AssertSame(TypeZoo e, TypeZoo a)
    {
        Assert.Equal(e.Id, a.Id);
        Assert.Equal(e.B, a.B);
        Assert.Equal(e.I16, a.I16);
        Assert.Equal(e.I32, a.I32);
        Assert.Equal(e.I64, a.I64);
        Assert.Equal(e.F32, a.F32);
        Assert.Equal(e.F64, a.F64);
        Assert.Equal(e.Amount, a.Amount);
        Assert.Equal(e.Title, a.Title);
        Assert.Equal(e.Body, a.Body);
        Assert.Equal(e.Hash, a.Hash);
        Assert.Equal(e.Blob, a.Blob);
        Assert.Equal(e.Token, a.Token);
        Assert.Equal(e.Day, a.Day);
        Assert.Equal(e.At, a.At);
        Assert.Equal(e.Stamp, a.Stamp);
        Assert.Equal(e.StampOffset, a.StampOffset); // same instant (PostgreSQL returns it in UTC)
        Assert.Equal(e.Doc, a.Doc);
        Assert.Equal(e.Color, a.Color);
        Assert.Equal(e.NB, a.NB);
        Assert.Equal(e.NI16, a.NI16);
        Assert.Equal(e.NI32, a.NI32);
        Assert.Equal(e.NI64, a.NI64);
        Assert.Equal(e.NF32, a.NF32);
        Assert.Equal(e.NF64, a.NF64);
        Assert.Equal(e.NAmount, a.NAmount);
        Assert.Equal(e.NBody, a.NBody);
        Assert.Equal(e.NBlob, a.NBlob);
        Assert.Equal(e.NToken, a.NToken);
        Assert.Equal(e.NDay, a.NDay);
        Assert.Equal(e.NAt, a.NAt);
        Assert.Equal(e.NStamp, a.NStamp);
        Assert.Equal(e.NStampOffset, a.NStampOffset);
        Assert.Equal(e.NDoc, a.NDoc);
        Assert.Equal(e.NColor, a.NColor);
    }

    [Fact]
    public async Task Every_type_round_trips_exactly_with_values_set()
    {
        await using var db = await TestDatabase.CreateAsync();
        var zoo = await db.TypeZoos.InsertAsync(Full());
        AssertSame(zoo, (await db.TypeZoos.GetAsync(zoo.Id))!);
    }

    [Fact]
    public async Task Every_nullable_type_round_trips_null()
    {
        await using var db = await TestDatabase.CreateAsync();
        var zoo = new TypeZoo { Doc = "{}", Hash = [1] };
        await db.TypeZoos.InsertAsync(zoo);
        var got = (await db.TypeZoos.GetAsync(zoo.Id))!;
        AssertSame(zoo, got);
        Assert.Null(got.NB);
        Assert.Null(got.NColor);
        Assert.Null(got.NBlob);
        Assert.Null(got.NStampOffset);
    }

    [Fact]
    public async Task Values_round_trip_through_update_upsert_and_bulk_insert()
    {
        await using var db = await TestDatabase.CreateAsync();
        var zoo = await db.TypeZoos.InsertAsync(new TypeZoo { Doc = "{}", Hash = [1] });
        var full = Full(2);
        full.Id = zoo.Id;
        Assert.True(await db.TypeZoos.UpdateAsync(full));
        AssertSame(full, (await db.TypeZoos.GetAsync(zoo.Id))!);

        var up = Full(3);
        up.Id = Guid.NewGuid();
        await db.TypeZoos.UpsertAsync(up);
        AssertSame(up, (await db.TypeZoos.GetAsync(up.Id))!);

        var bulk = Enumerable.Range(10, 3).Select(i => Full(i)).ToList();
        Assert.Equal(3, await db.TypeZoos.InsertManyAsync(bulk));
        foreach (var b in bulk) AssertSame(b, (await db.TypeZoos.GetAsync(b.Id))!);
    }

    [Fact]
    public async Task Enum_is_stored_as_the_member_name()
    {
        await using var db = await TestDatabase.CreateAsync();
        var zoo = await db.TypeZoos.InsertAsync(Full());
        var text = await TestDatabase.ScalarAsync(db, $"SELECT color FROM type_zoo");
        Assert.Equal("Blue", text);
    }
}
