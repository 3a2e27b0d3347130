using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;

namespace DbOps.Runtime;

/// <summary>Which bulk statement <see cref="DbOpsProviderServices.WriteManyAsync{T}"/> runs.</summary>
public enum DbOpsBulkKind
{
    /// <summary>Update every non-key column of the row with the entity's key.</summary>
    Update,
    /// <summary>Insert, or update the row with the entity's key.</summary>
    Upsert,
    /// <summary>Delete the row with the key.</summary>
    Delete,
}

/// <summary>
/// What the bulk operations need to know about one table, generated once per repository: the quoted table and column
/// names (in table order), which of them are the key, the set columns and the upsert columns, a value getter by column
/// index, the per-row statements of the generic path, and, for providers that stage rows (PostgreSQL COPY), each
/// column's store type.
/// </summary>
/// <typeparam name="T">The row type: the entity, or the key for deletes.</typeparam>
public sealed class DbOpsBulkTable<T>
{
    /// <summary>Describes a table for the bulk operations.</summary>
    /// <param name="info">Constraint names, for error mapping.</param>
    /// <param name="table">The quoted table name.</param>
    /// <param name="columns">Quoted column names, indexed like <paramref name="values"/>.</param>
    /// <param name="storeTypes">The store type of each column (PostgreSQL: <c>bigint</c>, <c>text</c>...), for staging.</param>
    /// <param name="keys">Indexes of the primary key columns.</param>
    /// <param name="written">Indexes of the columns an update (set columns then keys, as in <paramref name="statement"/>)
    /// or an upsert (as in <paramref name="statement"/>) writes; the key columns for a delete.</param>
    /// <param name="values">The provider value of column <c>i</c> of a row (<see cref="DBNull.Value"/> for null).</param>
    /// <param name="prepare">Runs on every row before it is sent (validation; throws to stop the batch).</param>
    /// <param name="statement">The one-row statement of the generic path, with the parameters of <paramref name="written"/> in order.</param>
    /// <param name="staged">For staging providers: the one statement that applies the rows staged in <see cref="DbOpsBulk.StageTable"/>.</param>
    /// <param name="afterStaged">For staging providers: a statement run after <paramref name="staged"/> (PostgreSQL: move an identity sequence past explicit keys), or null.</param>
    public DbOpsBulkTable(DbOpsTableInfo info, string table, string[] columns, string[]? storeTypes, int[] keys, int[] written,
        Func<T, int, object> values, Action<T>? prepare, string statement, string? staged = null, string? afterStaged = null)
    {
        Staged = staged;
        AfterStaged = afterStaged;
        Info = info ?? throw new ArgumentNullException(nameof(info));
        Table = table ?? throw new ArgumentNullException(nameof(table));
        Columns = columns ?? throw new ArgumentNullException(nameof(columns));
        StoreTypes = storeTypes;
        Keys = keys ?? throw new ArgumentNullException(nameof(keys));
        Written = written ?? throw new ArgumentNullException(nameof(written));
        Values = values ?? throw new ArgumentNullException(nameof(values));
        Prepare = prepare;
        Statement = statement ?? throw new ArgumentNullException(nameof(statement));
    }

    /// <summary>Constraint names, for error mapping.</summary>
    public DbOpsTableInfo Info { get; }
    /// <summary>The quoted table name.</summary>
    public string Table { get; }
    /// <summary>Quoted column names.</summary>
    public string[] Columns { get; }
    /// <summary>Store types of the columns, or null.</summary>
    public string[]? StoreTypes { get; }
    /// <summary>Indexes of the key columns.</summary>
    public int[] Keys { get; }
    /// <summary>Indexes of the columns the statement writes, in parameter order.</summary>
    public int[] Written { get; }
    /// <summary>Value of column i of a row.</summary>
    public Func<T, int, object> Values { get; }
    /// <summary>Runs on each row first, or null.</summary>
    public Action<T>? Prepare { get; }
    /// <summary>The one-row statement of the generic path.</summary>
    public string Statement { get; }
    /// <summary>The statement applying the staged rows, or null.</summary>
    public string? Staged { get; }
    /// <summary>A statement after <see cref="Staged"/>, or null.</summary>
    public string? AfterStaged { get; }
    /// <summary>
    /// The repository's bulk inserter, for providers whose inserter can also stage these rows typed (PostgreSQL: its
    /// COPY writer, so no value is boxed); null to stage <see cref="Values"/>.
    /// </summary>
    public object? Inserter { get; init; }
    /// <summary>With <see cref="Inserter"/>: whether unset database defaults are written as NULL (upserts), as <see cref="Values"/> does.</summary>
    public bool ApplyDefaults { get; init; }
}

/// <summary>
/// A batch lookup: <c>SELECT columns FROM table WHERE</c> one or more columns match any of many values, in chunks that stay
/// within the provider's parameter limit.
/// </summary>
public sealed class DbOpsLookup<T, TKey> where TKey : notnull
{
    /// <summary>Describes a batch lookup.</summary>
    /// <param name="select">The statement up to its WHERE clause: <c>SELECT cols FROM table WHERE </c>.</param>
    /// <param name="columns">The quoted columns the keys match (several for a composite key).</param>
    /// <param name="orderBy">The ORDER BY list (primary key).</param>
    /// <param name="values">The provider value of part <c>i</c> of a key.</param>
    /// <param name="read">Maps the current row.</param>
    /// <param name="keyOf">The key of a row, to order the results by the input.</param>
    public DbOpsLookup(string select, string[] columns, string orderBy, Func<TKey, int, object> values, Func<DbDataReader, T> read, Func<T, TKey> keyOf)
    {
        Select = select; Columns = columns; OrderBy = orderBy; Values = values; Read = read; KeyOf = keyOf;
    }

    /// <summary>The statement up to its WHERE clause.</summary>
    public string Select { get; }
    /// <summary>The matched columns.</summary>
    public string[] Columns { get; }
    /// <summary>The ORDER BY list.</summary>
    public string OrderBy { get; }
    /// <summary>Provider value of key part i.</summary>
    public Func<TKey, int, object> Values { get; }
    /// <summary>Row mapper.</summary>
    public Func<DbDataReader, T> Read { get; }
    /// <summary>The key of a row.</summary>
    public Func<T, TKey> KeyOf { get; }
}

/// <summary>The bulk operations generated repositories call: one transaction (or the caller's), errors mapped.</summary>
public static class DbOpsBulk
{
    /// <summary>Parameters per lookup statement: below SQL Server's 2,100, SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    public const int MaxParameters = 2000;

    /// <summary>The temporary table staging providers copy rows into (dropped after each statement).</summary>
    public const string StageTable = "dbops_bulk_stage";

    /// <summary>
    /// Runs <paramref name="kind"/> for every row of <paramref name="rows"/> in one transaction (the session's own inside
    /// InTransactionAsync); returns the number of rows affected. A failure rolls back the whole batch: validation errors
    /// as <see cref="DbOpsValidationException"/>, constraint violations as the typed DbOps exceptions.
    /// </summary>
    public static async Task<long> WriteManyAsync<T>(DbOpsSession session, DbOpsProviderServices services, DbOpsBulkTable<T> table,
        DbOpsBulkKind kind, IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(rows);
        var connection = await session.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (transaction, owned) = await session.BeginIfNeededAsync(connection, cancellationToken).ConfigureAwait(false);
            try
            {
                var count = await services.WriteManyAsync(connection, transaction, table, kind, rows, cancellationToken).ConfigureAwait(false);
                if (owned) await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return count;
            }
            finally
            {
                if (owned) await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (DbException ex) when (services.Translate(ex, table.Info, kind == DbOpsBulkKind.Delete ? DbOpsStatementKind.Delete : DbOpsStatementKind.Write) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            await session.ReleaseAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>A synchronous sequence as an asynchronous one (the bulk paths stream both the same way).</summary>
    public static async IAsyncEnumerable<T> AsAsync<T>(IEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// The rows whose <see cref="DbOpsLookup{T, TKey}.Columns"/> match any of <paramref name="keys"/>, in chunks of at most
    /// <see cref="MaxParameters"/> parameters. Order: by the first position of each row's key in <paramref name="keys"/>,
    /// then by primary key; a duplicate key counts once; a key without rows is left out.
    /// </summary>
    public static async Task<IReadOnlyList<T>> LookupAsync<T, TKey>(DbOpsSession session, DbOpsProviderServices services,
        DbOpsLookup<T, TKey> lookup, IEnumerable<TKey> keys, CancellationToken cancellationToken) where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(keys);
        var position = new Dictionary<TKey, int>();
        foreach (var key in keys) position.TryAdd(key, position.Count);
        var result = new List<T>();
        if (position.Count == 0) return result;
        var distinct = position.Keys.ToArray();
        var parts = lookup.Columns.Length;
        var perChunk = Math.Max(1, MaxParameters / parts);
        var connection = await session.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var start = 0; start < distinct.Length; start += perChunk)
            {
                var n = Math.Min(perChunk, distinct.Length - start);
                using var command = session.CreateCommand(connection, LookupSql(services.Provider, lookup, n));
                for (var k = 0; k < n; k++)
                    for (var p = 0; p < parts; p++)
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = services.Provider == DbOpsProvider.PostgreSql ? "" : "@p" + (k * parts + p);
                        parameter.Value = lookup.Values(distinct[start + k], p);
                        command.Parameters.Add(parameter);
                    }
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) result.Add(lookup.Read(reader));
            }
        }
        finally
        {
            await session.ReleaseAsync(connection).ConfigureAwait(false);
        }
        // Each chunk is ordered by primary key; a stable sort by input position keeps that order within one key.
        var order = result.Select((row, i) => (row, i, at: position[lookup.KeyOf(row)])).ToList();
        order.Sort((a, b) => a.at != b.at ? a.at.CompareTo(b.at) : a.i.CompareTo(b.i));
        return order.Select(o => o.row).ToList();
    }

    private static string LookupSql<T, TKey>(DbOpsProvider provider, DbOpsLookup<T, TKey> lookup, int count) where TKey : notnull
    {
        string P(int i) => provider == DbOpsProvider.PostgreSql ? "$" + (i + 1) : "@p" + i;
        var sb = new StringBuilder(lookup.Select);
        var parts = lookup.Columns.Length;
        if (parts == 1)
        {
            sb.Append(lookup.Columns[0]).Append(" IN (");
            for (var i = 0; i < count; i++) sb.Append(i == 0 ? "" : ", ").Append(P(i));
            sb.Append(')');
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                sb.Append(i == 0 ? "(" : " OR (");
                for (var p = 0; p < parts; p++) sb.Append(p == 0 ? "" : " AND ").Append(lookup.Columns[p]).Append(" = ").Append(P(i * parts + p));
                sb.Append(')');
            }
        }
        return sb.Append(" ORDER BY ").Append(lookup.OrderBy).ToString();
    }
}
