using System.Data.Common;
using Microsoft.Data.SqlClient;

namespace DbOps.Runtime;

/// <summary>SQL Server (Microsoft.Data.SqlClient) services for generated code and the migrator.</summary>
public sealed class DbOpsSqlServerServices : DbOpsProviderServices
{
    /// <summary>The one instance generated code uses.</summary>
    public static DbOpsSqlServerServices Instance { get; } = new();

    private DbOpsSqlServerServices()
    {
    }

    /// <inheritdoc />
    public override DbOpsProvider Provider => DbOpsProvider.SqlServer;

    /// <inheritdoc />
    public override DbOpsSchemaReader SchemaReader => SqlServerSchemaReader.Instance;

    /// <inheritdoc />
    public override DbDataSource CreateDataSource(string connectionString) => new SqlServerDbOpsDataSource(connectionString);

    /// <inheritdoc />
    public override DbOpsException? Translate(Exception exception, DbOpsTableInfo? table, DbOpsStatementKind kind)
    {
        if (exception is not SqlException e) return null;
        switch (e.Number)
        {
            case 2627: // Violation of UNIQUE KEY / PRIMARY KEY constraint 'x'. Cannot insert duplicate key in object 'dbo.t'.
                return new DbOpsUniqueViolationException(e.Message, Quoted(e.Message, '\'', "constraint"), table?.Table, e);
            case 2601: // Cannot insert duplicate key row in object 'dbo.t' with unique index 'x'.
                return new DbOpsUniqueViolationException(e.Message, Quoted(e.Message, '\'', "unique index"), table?.Table, e);
            case 547: // The INSERT statement conflicted with the FOREIGN KEY|REFERENCE|CHECK constraint "x".
                var name = Quoted(e.Message, '"', "constraint");
                return e.Message.Contains("CHECK constraint", StringComparison.Ordinal)
                    ? new DbOpsCheckViolationException(e.Message, name, table?.Table, e)
                    : new DbOpsForeignKeyViolationException(e.Message, name, table?.Table, e);
            default:
                return null;
        }
    }

    /// <inheritdoc />
    public override bool IsTransient(Exception exception) => exception is SqlException { Number: 1205 }; // deadlock victim

    private static string? Quoted(string message, char quote, string after)
    {
        var i = message.IndexOf(after, StringComparison.Ordinal);
        if (i < 0) return null;
        var start = message.IndexOf(quote, i);
        if (start < 0) return null;
        var end = message.IndexOf(quote, start + 1);
        return end < 0 ? null : message[(start + 1)..end];
    }
}
