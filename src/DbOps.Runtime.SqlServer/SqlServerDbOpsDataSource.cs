using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;

namespace DbOps.Runtime;

/// <summary>A <see cref="DbDataSource"/> for Microsoft.Data.SqlClient (pooling is SqlClient's own).</summary>
public sealed class SqlServerDbOpsDataSource : DbDataSource
{
    private readonly string _connectionString;

    /// <summary>Creates the data source.</summary>
    public SqlServerDbOpsDataSource(string connectionString) => _connectionString = connectionString;

    /// <inheritdoc />
    [AllowNull]
    public override string ConnectionString => _connectionString;

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => new SqlConnection(_connectionString);
}
