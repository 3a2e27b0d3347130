namespace DbOps.Extensions.Hosting;

/// <summary>
/// Settings of one DbOps database registered in dependency injection; a named option (the name is the database class's
/// full name), so it can also be configured with <c>services.Configure&lt;DbOpsOptions&gt;(typeof(ShopDb).FullName, ...)</c>.
/// </summary>
public sealed class DbOpsOptions
{
    /// <summary>The provider's connection string (Microsoft.Data.Sqlite, Npgsql or Microsoft.Data.SqlClient).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The configuration key the connection string was read from (<c>ConnectionStrings:Default</c>), when it came from
    /// configuration; used in the message when it is missing.
    /// </summary>
    public string? ConnectionStringName { get; set; }

    /// <summary>
    /// Log the values of command parameters with the SQL (at Debug level). Off by default, as in EF Core: values may be
    /// personal data or secrets. Turn it on only in development.
    /// </summary>
    public bool EnableSensitiveDataLogging { get; set; }
}
