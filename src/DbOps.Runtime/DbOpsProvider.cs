namespace DbOps.Runtime;

/// <summary>The database provider a generated database class was generated for.</summary>
public enum DbOpsProvider
{
    /// <summary>SQLite through Microsoft.Data.Sqlite.</summary>
    Sqlite,
    /// <summary>PostgreSQL through Npgsql.</summary>
    PostgreSql,
    /// <summary>SQL Server through Microsoft.Data.SqlClient.</summary>
    SqlServer,
}
