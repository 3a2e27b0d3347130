using System.Data.Common;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.EntityFrameworkCore.Scaffolding.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL.Scaffolding.Internal;
using Microsoft.EntityFrameworkCore.Sqlite.Scaffolding.Internal;
using Microsoft.EntityFrameworkCore.SqlServer.Scaffolding.Internal;

namespace DbOps.Sql.LiveSchema;

/// <summary>
/// Reads the schema of a live database with EF Core's scaffolding model factories (the ones <c>dotnet ef dbcontext
/// scaffold</c> uses), constructed from the provider's runtime services: no Microsoft.EntityFrameworkCore.Design needed.
/// </summary>
public static class LiveSchemaReader
{
    /// <summary>Every table of the database (PostgreSQL: the <c>public</c> schema, SQL Server: <c>dbo</c>), except EF Core's and DbUp's bookkeeping.</summary>
    public static DatabaseModel Read(DbConnection connection, DbProvider provider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var context = EfProviders.CreateContext(provider);
        var logger = context.GetService<IDiagnosticsLogger<DbLoggerCategory.Scaffolding>>();
        IDatabaseModelFactory factory = provider switch
        {
            DbProvider.Sqlite => new SqliteDatabaseModelFactory(logger, context.GetService<IRelationalTypeMappingSource>()),
            DbProvider.PostgreSql => new NpgsqlDatabaseModelFactory(logger),
            DbProvider.SqlServer => new SqlServerDatabaseModelFactory(logger, context.GetService<IRelationalTypeMappingSource>()),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
        };
        var schemas = provider switch { DbProvider.PostgreSql => new[] { "public" }, DbProvider.SqlServer => ["dbo"], _ => [] };
        return factory.Create(connection, new DatabaseModelFactoryOptions(tables: [], schemas: schemas));
    }
}
