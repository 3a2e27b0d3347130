using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>
/// The bulk update/upsert/delete and batch lookups of a repository: static descriptors (SQL from <see cref="EntitySql"/>,
/// a value getter by column index) that the inherited <c>DbOpsRepository</c> methods run, and the batch finders of the
/// table's foreign keys and index prefixes; the work is in DbOps.Runtime's <c>DbOpsBulk</c> and the provider's
/// <c>WriteManyAsync</c> (PostgreSQL: binary COPY into a temporary table and one statement).
/// </summary>
internal sealed partial class RepositoryEmitter
{
    private string KeyOf(string x) => _sql.Keys.Count == 1 ? $"{x}.{_sql.Keys[0].Name}" : "(" + string.Join(", ", _sql.Keys.Select(k => $"{x}.{k.Name}")) + ")";

    private string StoreTypes(IEnumerable<ColumnModel> cols) =>
        d.IsPostgres ? "[" + string.Join(", ", cols.Select(c => Cs.String(PostgreSqlDialect.TypeName(c.Type)))) + "]" : "null";

    private string Indexes(IEnumerable<ColumnModel> cols) => "[" + string.Join(", ", cols.Select(c => _sql.Columns.ToList().IndexOf(c))) + "]";

    private static string List(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

    private void EmitValues(string name, bool applyDefault)
    {
        using (w.Block($"private static object {name}({e.Name} e, int i) => i switch", ";"))
        {
            for (var i = 0; i < _sql.Columns.Count; i++)
            {
                var c = _sql.Columns[i];
                var value = d.ObjectValue(c.Type, c.Nullable, "e." + c.Name);
                if (applyDefault && EntitySql.HasDefaultSql(c)) value = $"{EntitySql.UnsetTest(c, "e." + c.Name)} ? DBNull.Value : {value}";
                w.Line($"{i} => {value},");
            }
            w.Line("_ => throw new ArgumentOutOfRangeException(nameof(i)),");
        }
        w.Line();
    }

    /// <summary>The value getters the runtime's bulk writes and lookups read (table order; keys by part).</summary>
    private void EmitBulkDescriptors()
    {
        w.Line();
        EmitValues("BulkValues", applyDefault: false);
        if (HasDefaults) EmitValues("UpsertValues", applyDefault: true);
        using (w.Block($"private static object KeyValue({KeyType} k, int i) => i switch", ";"))
        {
            for (var i = 0; i < _sql.Keys.Count; i++) w.Line($"{i} => {d.ObjectValue(_sql.Keys[i].Type, false, Item("k", i, _sql.Keys.Count))},");
            w.Line("_ => throw new ArgumentOutOfRangeException(nameof(i)),");
        }
        w.Line();
    }

    /// <summary>The map's entries for the bulk writes and the lookup by key, which the runtime builds its descriptors from.</summary>
    private IEnumerable<string> BulkMapItems()
    {
        var storeTypes = d.IsPostgres ? $", StoreTypes = {StoreTypes(_sql.Columns)}" : "";
        yield return $"QuotedTable = {Cs.String(_sql.Table)}, Columns = {List(_sql.Quoted(_sql.Columns).Select(Cs.String))}{storeTypes}, Keys = {Indexes(_sql.Keys)},";
        yield return $"Values = BulkValues{(HasDefaults ? ", InsertValues = UpsertValues" : "")}, KeyValues = KeyValue, KeyOf = static e => {KeyOf("e")},";
        yield return $"LookupSql = {Cs.String(_sql.LookupPrefix)}, KeyOrder = {Cs.String(_sql.KeyOrder)},";
        if (!d.IsSqlite) // PostgreSQL (COPY) and SQL Server (SqlBulkCopy) apply staged rows in one statement
        {
            var update = _sql.SetColumns.Count > 0 ? $"StagedUpdateSql = {Cs.String(_sql.StagedUpdateSql)}, " : "";
            var sync = _sql.StagedIdentitySyncSql is { } s ? $", StagedIdentitySyncSql = {Cs.String(s)}" : "";
            yield return $"{update}StagedUpsertSql = {Cs.String(_sql.StagedUpsertSql)}{sync},";
            yield return $"StagedDeleteSql = {Cs.String(_sql.StagedDeleteSql)},";
        }
    }

    /// <summary>ListBy{Column}sAsync: the rows of many values of a single-column foreign key or index prefix in one round trip per parameter limit.</summary>
    private void EmitBatchFinds(List<List<ColumnModel>> lists)
    {
        var services = d.Services;
        foreach (var l in lists.Where(l => l.Count == 1))
        {
            var c = l[0];
            var type = Cs.ClrType(c.Type);
            var keyOf = c.Nullable ? (Cs.IsReference(c.Type) ? $"e.{c.Name}!" : $"e.{c.Name}!.Value") : $"e.{c.Name}";
            w.Line($"private static readonly DbOpsLookup<{e.Name}, {type}> ListBy{c.Name}sLookup = new({Cs.String(_sql.LookupPrefix)}, " +
                   $"[{Cs.String(_sql.Quoted([c]).Single())}], {Cs.String(_sql.KeyOrder)}, static (v, _) => {d.ObjectValue(c.Type, false, "v")}, Read, static e => {keyOf});");
            w.Line($"/// <summary>Every {e.Name} whose {c.Name} is one of <paramref name=\"values\"/> (e.g. the children of many parents) in as few round trips as");
            w.Line("/// the parameter limit allows: grouped by each value's first occurrence in <paramref name=\"values\"/>, by primary key within a value;");
            w.Line("/// a repeated value counts once; a value without rows adds nothing.</summary>");
            w.Line($"public Task<IReadOnlyList<{e.Name}>> ListBy{c.Name}sAsync(IEnumerable<{type}> values, {Ct}) =>");
            w.Line($"    DbOpsBulk.LookupAsync<{e.Name}, {type}>(Session, {services}, ListBy{c.Name}sLookup, values, cancellationToken);");
            w.Line();
        }
    }
}
