using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>Writes the database class, its transaction class, the named queries and their row types.</summary>
internal sealed class DatabaseEmitter(SchemaModel schema, Dialect d, CodeWriter w)
{
    private string Name => schema.Name;
    private string Tx => schema.Name + "Transaction";
    private const string Ct = "CancellationToken cancellationToken = default";

    public void EmitDatabase()
    {
        w.Line($"/// <summary>The {Name} database ({d.Provider}): one repository per entity, named queries, transactions.</summary>");
        w.Line("/// <remarks>Thread-safe: every call takes a pooled connection from the data source for its own duration.</remarks>");
        w.Open($"public sealed partial class {Name} : IAsyncDisposable, IDisposable");
        w.Line("private readonly DbOpsSession _session;");
        w.Line("private readonly bool _ownsDataSource;");
        w.Line();
        w.Summary("Constraint metadata of every table, to name the constraint a named query violated.");
        w.Line($"internal static readonly DbOpsTableInfo[] TableInfos = [{string.Join(", ", schema.Entities.Select(e => e.Name + "Repository.TableInfo"))}];");
        w.Line();
        w.Line($"/// <summary>Uses <paramref name=\"dataSource\"/> (owned by the caller) for every connection.</summary>");
        w.Line($"public {Name}(DbDataSource dataSource) : this(dataSource, ownsDataSource: false) {{ }}");
        w.Line();
        w.Open($"private {Name}(DbDataSource dataSource, bool ownsDataSource)");
        w.Line("ArgumentNullException.ThrowIfNull(dataSource);");
        w.Line("DataSource = dataSource;");
        w.Line("_ownsDataSource = ownsDataSource;");
        w.Line("_session = new DbOpsSession(dataSource);");
        foreach (var e in schema.Entities) w.Line($"{e.Plural} = new {e.Name}Repository(_session);");
        w.Close();
        w.Line();
        var cs = d.Provider switch
        {
            DbProvider.Sqlite => "a Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=app.db</c> (foreign keys are always enforced)",
            DbProvider.PostgreSql => "an Npgsql connection string",
            _ => "a Microsoft.Data.SqlClient connection string",
        };
        w.Line($"/// <summary>Creates the database object for {d.Provider} from {cs}. Dispose it to release the connection pool.</summary>");
        w.Line($"public static {Name} Create(string connectionString) => new(Services.CreateDataSource(connectionString), ownsDataSource: true);");
        w.Line();
        w.Summary("The provider this code was generated for.");
        w.Line("public static DbOpsProvider Provider => Services.Provider;");
        w.Line();
        w.Summary("The provider's services: its data source, the mapping of its errors to DbOps exceptions, its retry rules.");
        w.Line($"public static DbOpsProviderServices Services => {d.Services};");
        w.Line();
        w.Summary("The data source every connection comes from.");
        w.Line("public DbDataSource DataSource { get; }");
        w.Line();
        foreach (var e in schema.Entities)
        {
            w.Line($"/// <summary>Data access for <see cref=\"{e.Name}\"/> (table {CodeWriter.Xml(e.Table)}).</summary>");
            if (EntityEmitter.Obsolete(e) is { } obsolete) w.Line(obsolete);
            w.Line($"public {e.Name}Repository {e.Plural} {{ get; }}");
            w.Line();
        }
        EmitTransactionMethods();
        foreach (var q in schema.Queries) EmitQuery(q);
        w.Line();
        w.Summary("Disposes the data source when this object created it (Create).");
        w.Open("public ValueTask DisposeAsync()");
        w.Line("return _ownsDataSource ? DataSource.DisposeAsync() : default;");
        w.Close();
        w.Line();
        w.Summary("Disposes the data source when this object created it (Create).");
        w.Open("public void Dispose()");
        w.Line("if (_ownsDataSource) DataSource.Dispose();");
        w.Close();
        w.Close();
    }

    private void EmitTransactionMethods()
    {
        const string Doc = "/// <summary>Runs <paramref name=\"work\"/> in one transaction on one connection: commits when it returns; otherwise rolls back and rethrows its exception.";
        const string Retry = "/// With <paramref name=\"maxRetries\"/> &gt; 0 the whole delegate runs again after a serialization failure or deadlock (PostgreSQL 40001/40P01, SQL Server 1205, SQLite busy); make it idempotent apart from the database.</summary>";
        w.Line(Doc);
        w.Line(Retry);
        w.Open($"public Task InTransactionAsync(Func<{Tx}, Task> work, IsolationLevel isolationLevel = IsolationLevel.Unspecified, int maxRetries = 0, {Ct})");
        w.Line("ArgumentNullException.ThrowIfNull(work);");
        w.Line($"return DbOpsTransactions.RunAsync<{Tx}, bool>(Services, DataSource, static (c, t) => new {Tx}(c, t), async tx =>");
        w.Line("{");
        w.Indent();
        w.Line("await work(tx).ConfigureAwait(false);");
        w.Line("return true;");
        w.Outdent();
        w.Line("}, isolationLevel, maxRetries, cancellationToken);");
        w.Close();
        w.Line();
        w.Line(Doc.Replace("returns;", "returns (with its result);"));
        w.Line(Retry);
        w.Open($"public Task<T> InTransactionAsync<T>(Func<{Tx}, Task<T>> work, IsolationLevel isolationLevel = IsolationLevel.Unspecified, int maxRetries = 0, {Ct})");
        w.Line("ArgumentNullException.ThrowIfNull(work);");
        w.Line($"return DbOpsTransactions.RunAsync(Services, DataSource, static (c, t) => new {Tx}(c, t), work, isolationLevel, maxRetries, cancellationToken);");
        w.Close();
        w.Line();
    }

    public void EmitTransaction()
    {
        w.Line($"/// <summary>The {Name} inside one transaction (see <see cref=\"{Name}.InTransactionAsync(Func{{{Tx}, Task}}, IsolationLevel, int, CancellationToken)\"/>): every repository and query shares its connection and transaction.</summary>");
        w.Open($"public sealed partial class {Tx}");
        w.Line("private readonly DbOpsSession _session;");
        foreach (var e in schema.Entities) w.Line($"private {e.Name}Repository? _{Field(e.Plural)};");
        w.Line();
        w.Open($"internal {Tx}(DbConnection connection, DbTransaction transaction)");
        w.Line("Connection = connection;");
        w.Line("Transaction = transaction;");
        w.Line("_session = new DbOpsSession(connection, transaction);");
        w.Close();
        w.Line();
        w.Summary("The open connection of the transaction (for raw ADO.NET or Dapper calls alongside).");
        w.Line("public DbConnection Connection { get; }");
        w.Line();
        w.Summary("The transaction; commands you create yourself must set it.");
        w.Line("public DbTransaction Transaction { get; }");
        w.Line();
        foreach (var e in schema.Entities)
        {
            w.Line($"/// <summary>Data access for <see cref=\"{e.Name}\"/> inside this transaction.</summary>");
            if (EntityEmitter.Obsolete(e) is { } obsolete) w.Line(obsolete);
            w.Line($"public {e.Name}Repository {e.Plural} => _{Field(e.Plural)} ??= new {e.Name}Repository(_session);");
            w.Line();
        }
        foreach (var q in schema.Queries) EmitQueryCalls(q);
        w.Close();
    }

    private static string Field(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string RowName(QueryModel q) => q.Name + "Row";

    public void EmitRowTypes()
    {
        foreach (var q in schema.Queries.Where(q => q.Returns is { IsScalar: false }))
        {
            w.Summary(q.Comment ?? $"A row of the {q.Name} query.");
            foreach (var c in q.Returns!.Columns)
                w.Line($"/// <param name=\"{c.Name}\">Column {c.Name} ({c.Type}{(c.Nullable ? ", nullable" : "")}).</param>");
            var ps = string.Join(", ", q.Returns.Columns.Select(c => $"{Cs.ClrType(c.Type, c.Nullable)} {c.Name}"));
            w.Line($"public sealed record {RowName(q)}({ps});");
            w.Line();
        }
    }

    private string Params(QueryModel q) =>
        string.Concat(q.Parameters.Select(p => $"{Cs.ClrType(p.Type, p.Nullable)} {Cs.Param(p.Name)}, "));

    private void QueryDoc(QueryModel q, string result)
    {
        var text = q.Comment ?? $"Runs the {q.Name} query.";
        w.Line($"/// <summary>{CodeWriter.Xml(text)} {result}</summary>");
        foreach (var p in q.Parameters)
            w.Line($"/// <param name=\"{Cs.Param(p.Name).TrimStart('@')}\">The @{p.Name} parameter ({p.Type}{(p.Nullable ? ", nullable" : "")}).</param>");
        w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
    }

    private void QueryCommand(QueryModel q)
    {
        w.Line($"using var command = session.CreateCommand(connection, {q.Name}Sql);");
        foreach (var p in q.Parameters)
            w.Line($"command.Parameters.Add({d.NewParameter(p.Type, p.Nullable, Cs.Param(p.Name), 0, name: p.Name)});");
    }

    private void Open()
    {
        w.Line("var connection = await session.OpenAsync(cancellationToken).ConfigureAwait(false);");
        w.Open("try");
    }

    private void Close(bool translate)
    {
        w.Close();
        if (translate)
        {
            w.Open($"catch (DbException ex) when ({Name}.Services.Translate(ex, {Name}.TableInfos, DbOpsStatementKind.Query) is {{ }} mapped)");
            w.Line("throw mapped;");
            w.Close();
        }
        w.Open("finally");
        w.Line("await session.ReleaseAsync(connection).ConfigureAwait(false);");
        w.Close();    w.Close(); // the method
    }

    /// <summary>
    /// The public query methods, one-line calls into the database class's single implementation (<c>Run…</c>), so the
    /// database and its transaction share one body per query.
    /// </summary>
    private void EmitQueryCalls(QueryModel q)
    {
        var ps = Params(q);
        var args = string.Concat(q.Parameters.Select(p => Cs.Param(p.Name) + ", "));
        if (q.Returns is null)
        {
            QueryDoc(q, "Returns the number of affected rows.");
            w.Line($"public Task<int> {q.Name}Async({ps}{Ct}) => {Name}.Run{q.Name}Async(_session, {args}cancellationToken);");
        }
        else if (q.Returns.IsScalar)
        {
            QueryDoc(q, q.Returns.ScalarNullable ? "Returns its single value (null for no row or NULL)." : "Returns its single value.");
            w.Line($"public Task<{Cs.ClrType(q.Returns.Scalar!, q.Returns.ScalarNullable)}> {q.Name}Async({ps}{Ct}) => {Name}.Run{q.Name}Async(_session, {args}cancellationToken);");
        }
        else
        {
            var row = RowName(q);
            QueryDoc(q, "Returns every row.");
            w.Line($"public Task<IReadOnlyList<{row}>> {q.Name}Async({ps}{Ct}) => {Name}.Run{q.Name}Async(_session, {args}cancellationToken);");
            w.Line();
            QueryDoc(q, "Streams the rows as they arrive.");
            w.Line($"public IAsyncEnumerable<{row}> Stream{q.Name}Async({ps}{Ct}) => {Name}.RunStream{q.Name}Async(_session, {args}cancellationToken);");
        }
        w.Line();
    }

    private void EmitQuery(QueryModel q)
    {
        EmitQueryCalls(q);
        w.Line($"internal const string {q.Name}Sql = {Cs.String(q.Sql)};");
        w.Line();
        var ps = "DbOpsSession session, " + Params(q);
        if (q.Returns is null)
        {
            w.Open($"internal static async Task<int> Run{q.Name}Async({ps}{Ct})");
            Open();
            QueryCommand(q);
            w.Line("return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);");
            Close(translate: true);
        }
        else if (q.Returns.IsScalar)
        {
            var type = Cs.ClrType(q.Returns.Scalar!, q.Returns.ScalarNullable);
            w.Open($"internal static async Task<{type}> Run{q.Name}Async({ps}{Ct})");
            Open();
            QueryCommand(q);
            w.Line("using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);");
            if (q.Returns.ScalarNullable)
            {
                w.Line("if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;");
                w.Line($"return {d.Read(q.Returns.Scalar!, true, "reader", 0)};");
            }
            else
            {
                w.Open("if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.IsDBNull(0))");
                w.Line($"throw new DbOpsException({Cs.String($"Query {q.Name} returned no value (declare its result type nullable to allow that).")});");
                w.Close();
                w.Line($"return {d.Read(q.Returns.Scalar!, false, "reader", 0)};");
            }
            Close(translate: true);
        }
        else
        {
            var row = RowName(q);
            w.Open($"internal static async Task<IReadOnlyList<{row}>> Run{q.Name}Async({ps}{Ct})");
            Open();
            QueryCommand(q);
            w.Line("using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);");
            w.Line($"var list = new List<{row}>();");
            w.Line($"while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) list.Add(Read{row}(reader));");
            w.Line("return list;");
            Close(translate: true);
            w.Line();
            w.Open($"internal static async IAsyncEnumerable<{row}> RunStream{q.Name}Async({ps}[EnumeratorCancellation] {Ct})");
            Open();
            QueryCommand(q);
            w.Line("using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);");
            w.Line($"while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) yield return Read{row}(reader);");
            Close(translate: false);
            w.Line();
            w.Line($"private static {row} Read{row}(DbDataReader reader) => new(");
            w.Indent();
            var cols = q.Returns.Columns;
            for (var i = 0; i < cols.Count; i++)
                w.Line($"{d.Read(cols[i].Type, cols[i].Nullable, "reader", i)}{(i + 1 < cols.Count ? "," : ");")}");
            w.Outdent();
        }
        w.Line();
    }
}
