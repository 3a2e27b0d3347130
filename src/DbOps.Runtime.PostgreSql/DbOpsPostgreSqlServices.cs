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
    /// <remarks>Positional: the parameter stays unnamed.</remarks>
    public override void NameParameter(DbParameter parameter, int index) => ArgumentNullException.ThrowIfNull(parameter);

    /// <inheritdoc />
    /// <remarks>A typed, positional bigint (no boxing).</remarks>
    public override void AddLimitParameter(DbCommand command, int index, int limit)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint, TypedValue = limit });
    }

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
                DbOpsUniqueViolationException.RepeatedKeyInBatch(key, t, e.MessageText, e),
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
        if (kind == DbOpsBulkKind.Delete && table.Written.Length == 1 && table.AfterStaged is null)
            return await DeleteByArrayAsync(npgsql, (NpgsqlTransaction)transaction, table, rows, cancellationToken).ConfigureAwait(false);
        var columns = string.Join(", ", table.Written.Select(i => table.Columns[i]));
        await ExecAsync($"CREATE TEMP TABLE {DbOpsBulk.StageTable} ON COMMIT DROP AS SELECT {columns} FROM {table.Table} WITH NO DATA").ConfigureAwait(false);
        var types = table.Written.Select(i => table.StoreTypes[i]).ToArray();
        var typed = table.Inserter as IDbOpsTypedCopy<T>; // the generated COPY writer: typed, nothing boxed
        await using (var importer = await npgsql.BeginBinaryImportAsync($"COPY {DbOpsBulk.StageTable} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                table.Prepare?.Invoke(row);
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < types.Length; i++)
                {
                    if (typed is not null)
                    {
                        await typed.WriteColumnAsync(importer, row, table.Written[i], table.ApplyDefaults, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
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

    /// <summary>Keys per <c>DELETE ... = ANY($1)</c> statement (one array parameter, so no parameter limit applies).</summary>
    private const int DeleteChunk = 100_000;

    /// <summary>
    /// Single-column keys: one <c>DELETE ... WHERE key = ANY($1)</c> with the keys as one array parameter per
    /// <see cref="DeleteChunk"/> keys. Staging them by COPY and joining (<c>DELETE ... USING</c>) measured 3.2x slower for
    /// 100,000 keys (docs/benchmarks.md).
    /// </summary>
    private static async Task<long> DeleteByArrayAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction,
        DbOpsBulkTable<T> table, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var key = table.Written[0];
        var sql = $"DELETE FROM {table.Table} WHERE {table.Columns[key]} = ANY($1::{table.StoreTypes![key]}[])";
        var buffer = new List<object>();
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            table.Prepare?.Invoke(row);
            buffer.Add(table.Values(row, key));
            if (buffer.Count == DeleteChunk) count += await FlushAsync().ConfigureAwait(false);
        }
        if (buffer.Count > 0) count += await FlushAsync().ConfigureAwait(false);
        return count;

        async Task<long> FlushAsync()
        {
            // A typed array (Guid[], long[], string[]...): Npgsql sends it as the matching PostgreSQL array type.
            var array = Array.CreateInstance(buffer[0].GetType(), buffer.Count);
            for (var i = 0; i < buffer.Count; i++) array.SetValue(buffer[i], i);
            buffer.Clear();
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = array });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
