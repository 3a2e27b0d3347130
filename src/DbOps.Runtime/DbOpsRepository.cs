using System.Data.Common;

namespace DbOps.Runtime;

/// <summary>
/// What <see cref="DbOpsRepository{T, TKey}"/> needs to run one entity's operations: the SQL texts and static binders
/// that DbOps generated for its table. Generated repositories build one static instance each; the SQL and binders stay
/// in the generated code, where they are reviewed, and the methods are compiled once, here.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
/// <typeparam name="TKey">The primary key: its CLR type, or a tuple for a composite key.</typeparam>
public sealed class DbOpsRepositoryMap<T, TKey> where T : class where TKey : notnull
{
    /// <summary>The table's description (provider, constraint names, row reader, validation).</summary>
    public required DbOpsTable<T> Table { get; init; }

    /// <summary>The quoted table name.</summary>
    public required string QuotedTable { get; init; }
    /// <summary>The quoted column names, table order.</summary>
    public required string[] Columns { get; init; }
    /// <summary>Each column's store type (PostgreSQL: <c>bigint</c>, <c>text</c>...) for providers that stage rows by type; else null.</summary>
    public string[]? StoreTypes { get; init; }
    /// <summary>The primary key columns (indexes in table order).</summary>
    public required int[] Keys { get; init; }
    /// <summary>The provider value of column <c>i</c> (table order) of an entity, DBNull for NULL.</summary>
    public required Func<T, int, object> Values { get; init; }
    /// <summary><see cref="Values"/> with unset database defaults as DBNull (inserts, upserts); null when no column has a default.</summary>
    public Func<T, int, object>? InsertValues { get; init; }
    /// <summary>The provider value of part <c>i</c> of a key.</summary>
    public required Func<TKey, int, object> KeyValues { get; init; }
    /// <summary>The key of an entity.</summary>
    public required Func<T, TKey> KeyOf { get; init; }
    /// <summary>The batch lookup's statement up to its WHERE clause (<c>SELECT columns FROM table WHERE </c>).</summary>
    public required string LookupSql { get; init; }
    /// <summary>The ORDER BY list of the primary key.</summary>
    public required string KeyOrder { get; init; }
    /// <summary>Staging providers: the statement applying staged rows to an update, or null.</summary>
    public string? StagedUpdateSql { get; init; }
    /// <summary>Staging providers: the statement applying staged rows as upserts, or null.</summary>
    public string? StagedUpsertSql { get; init; }
    /// <summary>Staging providers: run after <see cref="StagedUpsertSql"/> (PostgreSQL: move the identity sequence past explicit keys), or null.</summary>
    public string? StagedIdentitySyncSql { get; init; }
    /// <summary>Staging providers: the statement deleting the staged keys, or null.</summary>
    public string? StagedDeleteSql { get; init; }
    /// <summary>The property of the identity key, for the error of a bulk upsert row without one; null without an identity key.</summary>
    public string? IdentityName { get; init; }

    /// <summary>
    /// The parameter for column <c>i</c> (table order) of an entity, unnamed: the map names it by its position in the
    /// statement. With <c>insert</c> true (insert, upsert) an unset column with a database default is NULL.
    /// </summary>
    public required Func<T, int, bool, DbParameter> Parameter { get; init; }
    /// <summary>The columns of <see cref="InsertSql"/>, in its parameter order.</summary>
    public required int[] InsertColumns { get; init; }
    /// <summary>The columns of <see cref="UpdateSql"/> (set columns, then the key), in its parameter order.</summary>
    public int[]? UpdateColumns { get; init; }
    /// <summary>The columns of <see cref="UpsertSql"/>, in its parameter order.</summary>
    public required int[] UpsertColumns { get; init; }

    /// <summary>INSERT of one row (returning generated keys and defaults where there are any).</summary>
    public required string InsertSql { get; init; }
    /// <summary>Copies the values returned by <see cref="InsertSql"/> onto the entity; null when nothing is returned.</summary>
    public Action<DbDataReader, T>? ReadInserted { get; init; }

    /// <summary>SELECT of the row with a primary key.</summary>
    public required string GetSql { get; init; }
    /// <summary>Binds a primary key as the first parameters.</summary>
    public required Action<DbCommand, TKey> BindKey { get; init; }
    /// <summary>The first page ordered by primary key (the limit is parameter 0).</summary>
    public required string ListSql { get; init; }
    /// <summary>The page after a key (the key, then the limit).</summary>
    public required string ListAfterSql { get; init; }
    /// <summary>SELECT COUNT of the table.</summary>
    public required string CountSql { get; init; }

    /// <summary>UPDATE of every non-key column by primary key; null when every column is part of the key.</summary>
    public string? UpdateSql { get; init; }

    /// <summary>The one-row upsert.</summary>
    public required string UpsertSql { get; init; }
    /// <summary>True for an entity whose identity key is unset, which an upsert inserts; null without an identity key.</summary>
    public Func<T, bool>? IsNew { get; init; }
    /// <summary>Runs after an upsert on the same connection (PostgreSQL: move the identity sequence past an explicit key), or null.</summary>
    public string? UpsertFollowUpSql { get; init; }
    /// <summary>Binds the parameters of <see cref="UpsertFollowUpSql"/>.</summary>
    public Action<DbCommand, T>? BindUpsertFollowUp { get; init; }

    /// <summary>DELETE of the row with a primary key.</summary>
    public required string DeleteSql { get; init; }

    /// <summary>The provider's bulk inserter.</summary>
    public required DbOpsBulkInsert<T> Bulk { get; init; }

    private DbOpsBulkTable<T>? _updateBulk, _upsertBulk;
    private DbOpsBulkTable<TKey>? _deleteBulk;
    private DbOpsLookup<T, TKey>? _getManyLookup;

    // The bulk descriptors, built once from the map's facts (a race builds two equal ones; either is kept).
    internal DbOpsBulkTable<T>? UpdateBulk => UpdateSql is null ? null : _updateBulk ??= new(Table.Info, QuotedTable, Columns, StoreTypes, Keys,
        UpdateColumns!, Values, Table.Validate, UpdateSql, StagedUpdateSql) { Inserter = Bulk, ApplyDefaults = false };

    internal DbOpsBulkTable<T> UpsertBulk => _upsertBulk ??= new(Table.Info, QuotedTable, Columns, StoreTypes, Keys,
        UpsertColumns, InsertValues ?? Values, PrepareUpsertRow, UpsertSql, StagedUpsertSql, StagedIdentitySyncSql) { Inserter = Bulk, ApplyDefaults = true };

    internal DbOpsBulkTable<TKey> DeleteBulk => _deleteBulk ??= new(Table.Info, QuotedTable, KeyColumnNames, KeyStoreTypes, KeyParts, KeyParts,
        KeyValues, null, DeleteSql, StagedDeleteSql);

    internal DbOpsLookup<T, TKey> GetManyLookup => _getManyLookup ??= new(LookupSql, KeyColumnNames, KeyOrder, KeyValues, Table.Read, KeyOf);

    private string[] KeyColumnNames => [.. Keys.Select(k => Columns[k])];
    private string[]? KeyStoreTypes => StoreTypes is null ? null : [.. Keys.Select(k => StoreTypes[k])];
    private int[] KeyParts => [.. Enumerable.Range(0, Keys.Length)];

    private void PrepareUpsertRow(T entity)
    {
        Table.PrepareInsert(entity);
        if (IsNew?.Invoke(entity) == true)
            throw new ArgumentException($"UpsertManyAsync needs the key of every row ({Table.EntityName}.{IdentityName} is 0); insert new rows with InsertManyAsync.", "entities");
    }

    private Action<DbCommand, T>? _bindInsert, _bindUpdate, _bindUpsert;

    // Built once per map: the statement helpers take a binder, and these are the map's own (no allocation per call).
    internal Action<DbCommand, T> BindInsert => _bindInsert ??= (command, entity) => Bind(command, entity, InsertColumns, insert: true);
    internal Action<DbCommand, T> BindUpdate => _bindUpdate ??= (command, entity) => Bind(command, entity, UpdateColumns!, insert: false);
    internal Action<DbCommand, T> BindUpsert => _bindUpsert ??= (command, entity) => Bind(command, entity, UpsertColumns, insert: true);

    private void Bind(DbCommand command, T entity, int[] columns, bool insert)
    {
        var services = Table.Services;
        for (var i = 0; i < columns.Length; i++)
        {
            var parameter = Parameter(entity, columns[i], insert);
            services.NameParameter(parameter, i);
            command.Parameters.Add(parameter);
        }
    }
}

/// <summary>
/// The operations every generated repository has: insert, get, keyset paging, update, upsert, delete, count, and their
/// bulk forms. A generated repository derives from it and adds what is particular to its table (<c>GetBy{Unique}</c>,
/// <c>ListBy{Index}</c>, key overloads for composite keys). Each method is one call into <see cref="DbOpsSession"/>,
/// which leases the connection, translates constraint violations and owns the async state machines.
/// </summary>
/// <typeparam name="T">The entity class.</typeparam>
/// <typeparam name="TKey">The primary key: its CLR type, or a tuple for a composite key.</typeparam>
public abstract class DbOpsRepository<T, TKey> where T : class where TKey : notnull
{
    private readonly DbOpsRepositoryMap<T, TKey> _map;

    /// <summary>Creates the repository over <paramref name="session"/> (the database's, or a transaction's).</summary>
    protected DbOpsRepository(DbOpsSession session, DbOpsRepositoryMap<T, TKey> map)
    {
        Session = session ?? throw new ArgumentNullException(nameof(session));
        _map = map ?? throw new ArgumentNullException(nameof(map));
    }

    /// <summary>The session the repository's statements run on.</summary>
    protected DbOpsSession Session { get; }

    private DbOpsProviderServices Services => _map.Table.Services;

    /// <summary>Validates and inserts <paramref name="entity"/>; returns it with generated keys and database defaults filled in.</summary>
    /// <exception cref="DbOpsValidationException">A schema rule failed; nothing was sent.</exception>
    /// <exception cref="DbOpsUniqueViolationException">A unique key already exists.</exception>
    /// <exception cref="DbOpsForeignKeyViolationException">A referenced row does not exist.</exception>
    public Task<T> InsertAsync(T entity, CancellationToken cancellationToken = default) =>
        Session.InsertAsync(_map.Table, _map.InsertSql, entity, _map.BindInsert, _map.ReadInserted, cancellationToken);

    /// <summary>
    /// Validates and bulk-inserts <paramref name="entities"/> with the provider's fast path (PostgreSQL: binary COPY;
    /// SQLite: one prepared INSERT reused; SQL Server: SqlBulkCopy), streaming them without buffering; returns the number
    /// of rows. Generated keys and database defaults are not read back. Runs in one transaction (the current one inside
    /// InTransactionAsync).
    /// </summary>
    /// <exception cref="DbOpsValidationException">A row failed a schema rule.</exception>
    public Task<long> InsertManyAsync(IEnumerable<T> entities, CancellationToken cancellationToken = default) =>
        Session.InsertManyAsync(_map.Table, _map.Bulk, entities, cancellationToken);

    /// <inheritdoc cref="InsertManyAsync(IEnumerable{T}, CancellationToken)"/>
    public Task<long> InsertManyAsync(IAsyncEnumerable<T> entities, CancellationToken cancellationToken = default) =>
        Session.InsertManyAsync(_map.Table, _map.Bulk, entities, cancellationToken);

    /// <summary>The row with the given primary key (a tuple for a composite key), or null.</summary>
    public Task<T?> GetAsync(TKey key, CancellationToken cancellationToken = default) =>
        Session.GetAsync(_map.Table, _map.GetSql, key, _map.BindKey, cancellationToken);

    /// <summary>Keyset paging: the first page of at most <paramref name="limit"/> rows ordered by primary key; continue with ListAfterAsync.</summary>
    public Task<IReadOnlyList<T>> ListAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Session.ListAsync(_map.Table, _map.ListSql, (Services, limit),
            static (command, arg) => arg.Services.AddLimitParameter(command, 0, arg.limit), cancellationToken);
    }

    /// <summary>
    /// Keyset paging: the next page of at most <paramref name="limit"/> rows ordered by primary key, after the row with
    /// <paramref name="key"/> (pass the key of the last row of the previous page; start with ListAsync(limit)).
    /// </summary>
    public Task<IReadOnlyList<T>> ListAfterAsync(TKey key, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Session.ListAsync(_map.Table, _map.ListAfterSql, (_map, key, limit), static (command, arg) =>
        {
            arg._map.BindKey(command, arg.key);
            arg._map.Table.Services.AddLimitParameter(command, arg._map.Keys.Length, arg.limit);
        }, cancellationToken);
    }

    /// <summary>Validates and updates every non-key column of the row with <paramref name="entity"/>'s key; false when no such row exists.</summary>
    /// <exception cref="DbOpsValidationException">A schema rule failed; nothing was sent.</exception>
    /// <exception cref="NotSupportedException">Every column of the table is part of its primary key: there is nothing to update.</exception>
    public Task<bool> UpdateAsync(T entity, CancellationToken cancellationToken = default) =>
        Session.UpdateAsync(_map.Table, _map.UpdateSql ?? throw NothingToUpdate(), entity, _map.BindUpdate, cancellationToken);

    /// <summary>
    /// Validates and inserts <paramref name="entity"/>, or updates the row with its primary key (INSERT ... ON CONFLICT
    /// DO UPDATE; MERGE on SQL Server). An entity whose identity key is unset (0) is a plain insert, and the key is filled in.
    /// </summary>
    /// <exception cref="DbOpsValidationException">A schema rule failed; nothing was sent.</exception>
    public Task UpsertAsync(T entity, CancellationToken cancellationToken = default) =>
        entity is not null && _map.IsNew?.Invoke(entity) == true
            ? InsertAsync(entity, cancellationToken)
            : Session.UpsertAsync(_map.Table, _map.UpsertSql, entity!, _map.BindUpsert, cancellationToken, _map.UpsertFollowUpSql, _map.BindUpsertFollowUp);

    /// <summary>Deletes the row with the given primary key (a tuple for a composite key); false when no such row exists.</summary>
    /// <exception cref="DbOpsForeignKeyViolationException">Other rows still reference it.</exception>
    public Task<bool> DeleteAsync(TKey key, CancellationToken cancellationToken = default) =>
        Session.DeleteAsync(_map.Table, _map.DeleteSql, key, _map.BindKey, cancellationToken);

    /// <summary>The number of rows in the table.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Session.CountAsync(_map.Table, _map.CountSql, cancellationToken);

    /// <summary>
    /// Validates and updates every non-key column of each row with its entity's key, streaming <paramref name="entities"/>
    /// with the provider's fast path (PostgreSQL: binary COPY into a temporary table, then one statement; SQL Server:
    /// SqlBulkCopy, then one statement; SQLite: one prepared statement per row). Returns the number of rows updated (a key
    /// without a row counts 0). Runs in one transaction (the current one inside InTransactionAsync): a failing row rolls
    /// back the whole batch.
    /// </summary>
    /// <exception cref="DbOpsValidationException">A row failed a schema rule; nothing was written.</exception>
    /// <exception cref="NotSupportedException">Every column of the table is part of its primary key: there is nothing to update.</exception>
    public Task<long> UpdateManyAsync(IEnumerable<T> entities, CancellationToken cancellationToken = default) =>
        UpdateManyAsync(DbOpsBulk.AsAsync(entities, cancellationToken), cancellationToken);

    /// <inheritdoc cref="UpdateManyAsync(IEnumerable{T}, CancellationToken)"/>
    public Task<long> UpdateManyAsync(IAsyncEnumerable<T> entities, CancellationToken cancellationToken = default) =>
        DbOpsBulk.WriteManyAsync(Session, Services, _map.UpdateBulk ?? throw NothingToUpdate(), DbOpsBulkKind.Update, entities, cancellationToken);

    /// <summary>
    /// Validates and inserts each row, or updates the row with its key, streaming <paramref name="entities"/> with the
    /// provider's fast path (as UpdateManyAsync); returns the number of rows written. Keys must be distinct within one
    /// call, and identity keys set. Runs in one transaction (the current one inside InTransactionAsync): a failing row
    /// rolls back the whole batch.
    /// </summary>
    /// <exception cref="DbOpsValidationException">A row failed a schema rule; nothing was written.</exception>
    /// <exception cref="DbOpsUniqueViolationException">A key appears twice in one call (PostgreSQL, SQL Server), or another unique key already exists.</exception>
    public Task<long> UpsertManyAsync(IEnumerable<T> entities, CancellationToken cancellationToken = default) =>
        UpsertManyAsync(DbOpsBulk.AsAsync(entities, cancellationToken), cancellationToken);

    /// <inheritdoc cref="UpsertManyAsync(IEnumerable{T}, CancellationToken)"/>
    public Task<long> UpsertManyAsync(IAsyncEnumerable<T> entities, CancellationToken cancellationToken = default) =>
        DbOpsBulk.WriteManyAsync(Session, Services, _map.UpsertBulk, DbOpsBulkKind.Upsert, entities, cancellationToken);

    /// <summary>
    /// Deletes the rows with the given primary keys (tuples for a composite key) with the provider's fast path
    /// (PostgreSQL: <c>= ANY($1)</c> or COPY and one statement; SQL Server: SqlBulkCopy and one statement; SQLite: one
    /// prepared statement per key); returns the number of rows deleted (a key without a row counts 0). Runs in one
    /// transaction (the current one inside InTransactionAsync): a failing row rolls back the whole batch.
    /// </summary>
    /// <exception cref="DbOpsForeignKeyViolationException">Other rows still reference one of them; nothing was deleted.</exception>
    public Task<long> DeleteManyAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default) =>
        DeleteManyAsync(DbOpsBulk.AsAsync(keys, cancellationToken), cancellationToken);

    /// <inheritdoc cref="DeleteManyAsync(IEnumerable{TKey}, CancellationToken)"/>
    public Task<long> DeleteManyAsync(IAsyncEnumerable<TKey> keys, CancellationToken cancellationToken = default) =>
        DbOpsBulk.WriteManyAsync(Session, Services, _map.DeleteBulk, DbOpsBulkKind.Delete, keys, cancellationToken);

    /// <summary>
    /// The rows with the given primary keys, in as few round trips as the parameter limit allows: in the order of each
    /// key's first occurrence in <paramref name="keys"/>; a repeated key returns its row once; a key without a row is left out.
    /// </summary>
    public Task<IReadOnlyList<T>> GetManyAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default) =>
        DbOpsBulk.LookupAsync(Session, Services, _map.GetManyLookup, keys, cancellationToken);

    private NotSupportedException NothingToUpdate() =>
        new($"Every column of {_map.Table.Info.Table} is part of its primary key: there is nothing to update (use UpsertAsync or InsertAsync).");
}
