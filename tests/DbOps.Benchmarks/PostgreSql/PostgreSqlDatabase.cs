using System.Data;
using Dapper;
using DbOps.Benchmarks.Data;
using DbOps.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace DbOps.Benchmarks;

/// <summary>
/// A fresh database on the throwaway PostgreSQL server of DbOps.Testing (one server per benchmark process; fsync off,
/// as the server is started for tests), created from DbOps' generated schema.postgresql.sql. Every contestant uses
/// the same connection string (ADO.NET and Dapper through one NpgsqlDataSource, as Npgsql recommends).
/// </summary>
public sealed class PostgreSqlDatabase : IAsyncDisposable
{
    private PostgreSqlDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }

    public static async Task<PostgreSqlDatabase> CreateAsync(bool withOrders)
    {
        var database = new PostgreSqlDatabase(PostgresServer.Instance.CreateDatabase("bench"));
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var create = new NpgsqlCommand(BenchData.SchemaScript(), connection))
            await create.ExecuteNonQueryAsync();
        await using (var db = BenchDb.Create(database.ConnectionString))
        {
            await db.Customers.InsertManyAsync(BenchData.Customers());
            if (withOrders) await db.Orders.InsertManyAsync(BenchData.Orders(BenchData.OrderCount, seed: 1));
        }
        await database.ExecuteAsync("VACUUM ANALYZE");
        return database;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public PooledDbContextFactory<BenchContext> CreateEfFactory() =>
        new(new DbContextOptionsBuilder<BenchContext>().UseNpgsql(ConnectionString).Options);

    public static void RegisterDapperHandlers()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // What a Dapper user on Npgsql 6+ writes: timestamptz reads back as a UTC DateTime, not a DateTimeOffset.
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value;

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime utc => new DateTimeOffset(utc),
            DateTimeOffset d => d,
            _ => throw new InvalidCastException($"Cannot read {value.GetType()} as DateTimeOffset."),
        };
    }
}
