using System.Data.Common;
using Npgsql;

namespace DbOps.Runtime;

/// <summary>PostgreSQL (Npgsql) services for generated code and the migrator.</summary>
public sealed class DbOpsPostgreSqlServices : DbOpsProviderServices
{
    /// <summary>The one instance generated code uses.</summary>
    public static DbOpsPostgreSqlServices Instance { get; } = new();

    private DbOpsPostgreSqlServices()
    {
    }

    /// <inheritdoc />
    public override DbOpsProvider Provider => DbOpsProvider.PostgreSql;

    /// <inheritdoc />
    public override DbOpsSchemaReader SchemaReader => PostgreSqlSchemaReader.Instance;

    /// <inheritdoc />
    /// <remarks>An <see cref="NpgsqlDataSource"/> (Npgsql's own pool).</remarks>
    public override DbDataSource CreateDataSource(string connectionString) => NpgsqlDataSource.Create(connectionString);

    /// <inheritdoc />
    /// <remarks>PostgreSQL names the constraint and the table in every violation.</remarks>
    public override DbOpsException? Translate(Exception exception, DbOpsTableInfo? table, DbOpsStatementKind kind)
    {
        if (exception is not PostgresException e) return null;
        var t = e.TableName ?? table?.Table;
        return e.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => new DbOpsUniqueViolationException(
                $"Unique constraint '{e.ConstraintName}' violated on '{t}': {e.MessageText} {e.Detail}".TrimEnd(), e.ConstraintName, t, e),
            PostgresErrorCodes.ForeignKeyViolation => new DbOpsForeignKeyViolationException(
                $"Foreign key '{e.ConstraintName}' violated on '{t}': {e.MessageText} {e.Detail}".TrimEnd(), e.ConstraintName, t, e),
            PostgresErrorCodes.CheckViolation => new DbOpsCheckViolationException(
                $"Check constraint '{e.ConstraintName}' violated on '{t}': {e.MessageText}", e.ConstraintName, t, e),
            // INSERT ... ON CONFLICT DO UPDATE reached one row twice: a bulk upsert received the same key more than once.
            PostgresErrorCodes.CardinalityViolation when kind == DbOpsStatementKind.Write && table?.UniqueKeys is [var key, ..] =>
                new DbOpsUniqueViolationException(
                    $"UpsertManyAsync received the same primary key ({string.Join(", ", key.Columns)}) more than once for '{t}'; " +
                    $"the keys of one call must be distinct. Nothing was written. ({e.MessageText})", key.Name, t, e),
            _ => null,
        };
    }

    /// <inheritdoc />
    public override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected };

    /// <inheritdoc />
    /// <remarks>
    /// Binary COPY of the written columns into a temporary table (<see cref="DbOpsBulk.StageTable"/>, shaped like the target
    /// by <c>CREATE TEMP TABLE ... AS SELECT ... WITH NO DATA</c>), then one <c>UPDATE ... FROM</c>,
    /// <c>INSERT ... SELECT ... ON CONFLICT</c> or <c>DELETE ... USING</c> (<see cref="DbOpsBulkTable{T}.Staged"/>): one
    /// parameter-free statement whatever the number of rows. Rows stream; nothing is buffered.
    /// </remarks>
    public override async Task<long> WriteManyAsync<T>(DbConnection connection, DbTransaction transaction, DbOpsBulkTable<T> table,
        DbOpsBulkKind kind, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        if (table.Staged is null || table.StoreTypes is null)
            return await base.WriteManyAsync(connection, transaction, table, kind, rows, cancellationToken).ConfigureAwait(false);
        var npgsql = (NpgsqlConnection)connection;
        var columns = string.Join(", ", table.Written.Select(i => table.Columns[i]));
        await ExecAsync($"CREATE TEMP TABLE {DbOpsBulk.StageTable} ON COMMIT DROP AS SELECT {columns} FROM {table.Table} WITH NO DATA").ConfigureAwait(false);
        var types = table.Written.Select(i => table.StoreTypes[i]).ToArray();
        await using (var importer = await npgsql.BeginBinaryImportAsync($"COPY {DbOpsBulk.StageTable} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                table.Prepare?.Invoke(row);
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < types.Length; i++)
                {
                    var value = table.Values(row, table.Written[i]);
                    if (value is DBNull) await importer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                    else await importer.WriteAsync(value, types[i], cancellationToken).ConfigureAwait(false);
                }
            }
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        var count = await ExecAsync(table.Staged).ConfigureAwait(false);
        if (table.AfterStaged is not null) await ExecAsync(table.AfterStaged).ConfigureAwait(false);
        await ExecAsync($"DROP TABLE {DbOpsBulk.StageTable}").ConfigureAwait(false);
        return count;

        async Task<int> ExecAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, npgsql, (NpgsqlTransaction)transaction);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
