using DbOps.Testing;
using Npgsql;

namespace DbOps.Sql.Tests;

public class PostgresSmokeTests
{
    [PostgresFact]
    public void Fixture_starts_a_real_server_and_creates_databases()
    {
        var cs = PostgresServer.Instance.CreateDatabase("smoke");
        using var conn = new NpgsqlConnection(cs);
        conn.Open();
        using var cmd = new NpgsqlCommand("select current_database(), version()", conn);
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.StartsWith("smoke_", r.GetString(0));
        Assert.Contains("PostgreSQL 1", r.GetString(1));
    }
}
