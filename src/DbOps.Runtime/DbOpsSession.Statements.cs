using System.Data;
using System.Data.Common;

namespace DbOps.Runtime;

// The statements of generated repositories: each leases a connection, runs one command bound by a static callback,
// translates constraint violations and gives the connection back. The async state machines live here, once, so a
// generated method is a single call. Arguments travel as TArg (a key, a tuple, an entity): no closures, no boxing.
public sealed partial class DbOpsSession
{
    /// <summary>The row selected by <paramref name="sql"/> with <paramref name="arg"/> bound by <paramref name="bind"/>, or null.</summary>
    public async Task<T?> GetAsync<T, TArg>(DbOpsTable<T> table, string sql, TArg arg, Action<DbCommand, TArg> bind, CancellationToken cancellationToken)
        where T : class
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = CreateCommand(connection, sql);
            bind(command, arg);
            using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? table.Read(reader) : null;
        }
        catch (Exception ex) when (Failed(connection, ex)) { throw; } // marks the call's span failed; catches nothing
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Every row selected by <paramref name="sql"/> with <paramref name="arg"/> bound by <paramref name="bind"/>.</summary>
    public async Task<IReadOnlyList<T>> ListAsync<T, TArg>(DbOpsTable<T> table, string sql, TArg arg, Action<DbCommand, TArg> bind, CancellationToken cancellationToken)
        where T : class
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = CreateCommand(connection, sql);
            bind(command, arg);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var list = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(table.Read(reader));
            return list;
        }
        catch (Exception ex) when (Failed(connection, ex)) { throw; } // marks the call's span failed; catches nothing
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> as a 64-bit integer (0 without a row): counts.</summary>
    public async Task<long> CountAsync<T>(DbOpsTable<T> table, string sql, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(table);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = CreateCommand(connection, sql);
            using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt64(0) : 0L;
        }
        catch (Exception ex) when (Failed(connection, ex)) { throw; } // marks the call's span failed; catches nothing
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Validates <paramref name="entity"/>, fills in its client-generated keys and inserts it; <paramref name="readBack"/>
    /// (null when nothing is generated) copies the returned generated keys and defaults onto it.
    /// </summary>
    public async Task<T> InsertAsync<T>(DbOpsTable<T> table, string sql, T entity, Action<DbCommand, T> bind, Action<DbDataReader, T>? readBack, CancellationToken cancellationToken)
        where T : class
    {
        table.PrepareInsert(entity);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = CreateCommand(connection, sql);
            bind(command, entity);
            if (readBack is null)
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) readBack(reader, entity);
            }
            return entity;
        }
        catch (Exception ex) when (Failed(connection, ex)) { throw; } // marks the call's span failed; catches nothing
        catch (DbException ex) when (table.Translate(ex, DbOpsStatementKind.Write) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Validates <paramref name="entity"/> and runs the UPDATE <paramref name="sql"/>; false when no row matched.</summary>
    public async Task<bool> UpdateAsync<T>(DbOpsTable<T> table, string sql, T entity, Action<DbCommand, T> bind, CancellationToken cancellationToken)
        where T : class
    {
        table.Validate(entity);
        return await ExecuteAsync(table, sql, entity, bind, DbOpsStatementKind.Write, cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Validates <paramref name="entity"/>, fills in its client-generated keys and runs the upsert <paramref name="sql"/>;
    /// then, when given, <paramref name="followUpSql"/> bound by <paramref name="followUpBind"/> on the same connection
    /// (PostgreSQL moves the identity sequence past an explicit key).
    /// </summary>
    public async Task UpsertAsync<T>(DbOpsTable<T> table, string sql, T entity, Action<DbCommand, T> bind, CancellationToken cancellationToken,
        string? followUpSql = null, Action<DbCommand, T>? followUpBind = null)
        where T : class
    {
        table.PrepareInsert(entity);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using (var command = CreateCommand(connection, sql))
            {
                bind(command, entity);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            if (followUpSql is not null)
            {
                using var followUp = CreateCommand(connection, followUpSql);
                followUpBind?.Invoke(followUp, entity);
                await followUp.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (Failed(connection, ex)) { throw; } // marks the call's span failed; catches nothing
        catch (DbException ex) when (table.Translate(ex, DbOpsStatementKind.Write) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the DELETE <paramref name="sql"/>; false when no row matched.</summary>
    public async Task<bool> DeleteAsync<T, TArg>(DbOpsTable<T> table, string sql, TArg arg, Action<DbCommand, TArg> bind, CancellationToken cancellationToken)
        where T : class =>
        await ExecuteAsync(table, sql, arg, bind, DbOpsStatementKind.Delete, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Runs <paramref name="sql"/> with <paramref name="arg"/> bound by <paramref name="bind"/>; returns the affected rows. Violations of <paramref name="table"/>'s constraints become DbOps exceptions.</summary>
    public async Task<int> ExecuteAsync<T, TArg>(DbOpsTable<T> table, string sql, TArg arg, Action<DbCommand, TArg> bind, DbOpsStatementKind kind, CancellationToken cancellationToken)
        where T : class
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = CreateCommand(connection, sql);
            bind(command, arg);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Failed(connection, ex)) { throw; } // marks the call's span failed; catches nothing
        catch (DbException ex) when (table.Translate(ex, kind) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            await ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Validates and bulk-inserts <paramref name="entities"/> with <paramref name="bulk"/>, streaming them; returns the number of rows.</summary>
    public Task<long> InsertManyAsync<T>(DbOpsTable<T> table, DbOpsBulkInsert<T> bulk, IEnumerable<T> entities, CancellationToken cancellationToken)
        where T : class =>
        InsertManyAsync(table, bulk, entities is null ? null : new DbOpsRows<T>(entities, table.PrepareInsert, cancellationToken), cancellationToken);

    /// <summary>Validates and bulk-inserts <paramref name="entities"/> with <paramref name="bulk"/>, streaming them; returns the number of rows.</summary>
    public Task<long> InsertManyAsync<T>(DbOpsTable<T> table, DbOpsBulkInsert<T> bulk, IAsyncEnumerable<T> entities, CancellationToken cancellationToken)
        where T : class =>
        InsertManyAsync(table, bulk, entities is null ? null : new DbOpsRows<T>(entities, table.PrepareInsert, cancellationToken), cancellationToken);

    private async Task<long> InsertManyAsync<T>(DbOpsTable<T> table, DbOpsBulkInsert<T> bulk, DbOpsRows<T>? rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows is null) throw new ArgumentNullException("entities");
        await using (rows.ConfigureAwait(false))
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await bulk.WriteAsync(this, connection, rows, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Failed(connection, ex)) { throw; } // marks the call's span failed; catches nothing
            catch (DbException ex) when (table.Translate(ex, DbOpsStatementKind.Write) is { } mapped)
            {
                throw mapped;
            }
            finally
            {
                await ReleaseAsync(connection).ConfigureAwait(false);
            }
        }
    }
}
