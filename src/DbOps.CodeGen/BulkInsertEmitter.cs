using DbOps.Schema.Model;

namespace DbOps.CodeGen;

/// <summary>
/// The repository's <c>Bulk</c> field: the provider's runtime bulk inserter (DbOps.Runtime.Sqlite/PostgreSql/SqlServer)
/// with a static per-column value callback. Both InsertManyAsync overloads hand it to one runtime body.
/// </summary>
internal static class BulkInsertEmitter
{
    public static string How(Dialect d) => d.Provider switch
    {
        DbProvider.PostgreSql => "with binary COPY",
        DbProvider.SqlServer => "with SqlBulkCopy",
        _ => "with one prepared INSERT reused inside one transaction",
    };

    public static void EmitField(EntityModel e, EntitySql sql, Dialect d, CodeWriter w)
    {
        var cols = sql.InsertColumns;
        switch (d.Provider)
        {
            case DbProvider.Sqlite:
                w.Line($"private static readonly DbOpsSqliteBulkInsert<{e.Name}> Bulk = new(InsertManySql, [{string.Join(", ", cols.Select(c => d.SqliteTypeName(c.Type)))}], static (e, i) => i switch");
                ValueArms(cols, d, w);
                break;
            case DbProvider.PostgreSql:
                var stage = sql.NeedsStaging ? ", StageCreateSql, StageInsertSql" : "";
                w.Line($"private static readonly DbOpsPostgreSqlBulkInsert<{e.Name}> Bulk = new(CopySql, {cols.Count}, static (w, e, i, ct) => i switch");
                w.Line("{");
                w.Indent();
                for (var i = 0; i < cols.Count; i++)
                {
                    var c = cols[i];
                    var write = d.PgCopyWrite(c.Type, c.Nullable, "e." + c.Name, "w", "ct");
                    if (EntitySql.HasDefaultSql(c) && !c.Nullable) write = $"{EntitySql.UnsetTest(c, "e." + c.Name)} ? w.WriteNullAsync(ct) : {write}";
                    w.Line($"{i} => {write},");
                }
                w.Line("_ => throw new ArgumentOutOfRangeException(nameof(i)),");
                w.Outdent();
                w.Line($"}}{stage});");
                break;
            default:
                w.Line($"private static readonly DbOpsSqlServerBulkInsert<{e.Name}> Bulk = new({Cs.String(sql.Table)}, [{string.Join(", ", cols.Select(c => Cs.String(c.ColumnName)))}], static (e, i) => i switch");
                ValueArms(cols, d, w);
                break;
        }
    }

    /// <summary>The arms of <c>i switch</c>: column i's provider value (DBNull for NULL, or unset under a database default).</summary>
    private static void ValueArms(IReadOnlyList<ColumnModel> cols, Dialect d, CodeWriter w)
    {
        w.Line("{");
        w.Indent();
        for (var i = 0; i < cols.Count; i++)
        {
            var c = cols[i];
            var value = d.ObjectValue(c.Type, c.Nullable, "e." + c.Name);
            if (EntitySql.HasDefaultSql(c)) value = $"{EntitySql.UnsetTest(c, "e." + c.Name)} ? DBNull.Value : {value}";
            w.Line($"{i} => {value},");
        }
        w.Line("_ => throw new ArgumentOutOfRangeException(nameof(i)),");
        w.Outdent();
        w.Line("});");
    }
}
