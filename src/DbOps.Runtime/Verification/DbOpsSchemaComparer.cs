namespace DbOps.Runtime;

/// <summary>
/// The one definition of "what differs" between a live database and the structure its migrations give it, used at run
/// time (<c>db.VerifySchemaAsync()</c>) and by the build (<c>DbOpsVerify</c>): missing or extra tables and columns; a
/// column's type (with length and precision), nullability and default; the primary key; unique constraints; indexes
/// (columns, uniqueness, filter); foreign keys (columns, target, delete rule); CHECK constraints (name and condition).
/// </summary>
/// <remarks>
/// Names are compared exactly. Column order is not compared (ADD COLUMN appends). Unique constraints and foreign keys
/// are matched by their columns (SQLite keeps no constraint names), indexes and checks by name. Types, defaults and
/// conditions are compared after the provider's normalization (<see cref="DbOpsSchemaReader"/>).
/// </remarks>
public static class DbOpsSchemaComparer
{
    /// <summary>Compares <paramref name="live"/> with <paramref name="expected"/>.</summary>
    /// <param name="expected">What the migrations say.</param>
    /// <param name="live">What the database holds (<see cref="DbOpsSchemaReader.ReadAsync"/>).</param>
    /// <param name="expectedSource">How the messages name the expected side, e.g. <c>migration 0003</c>.</param>
    /// <param name="sql">The provider's reader: normalization and the statements that undo a change.</param>
    public static DbOpsSchemaReport Compare(DbOpsSchemaShape expected, DbOpsSchemaShape live, string expectedSource, DbOpsSchemaReader sql)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(expectedSource);
        ArgumentNullException.ThrowIfNull(sql);
        var result = new List<DbOpsSchemaDifference>();
        var src = expectedSource;
        var liveTables = new Dictionary<string, DbOpsTableShape>(StringComparer.Ordinal);
        foreach (var t in live.Tables) liveTables[t.Name] = t;

        foreach (var table in expected.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var name = table.Name;
            if (!liveTables.Remove(name, out var lt))
            {
                result.Add(new(DbOpsSchemaDifferenceKind.Table, name, name, "table", null,
                    $"table {name} of {src} is missing from the database", null));
                continue;
            }
            CompareColumns(result, table, lt, src, sql);
            ComparePrimaryKey(result, table, lt, src);
            CompareUniques(result, table, lt, src, sql);
            CompareIndexes(result, table, lt, src, sql);
            CompareForeignKeys(result, table, lt, src, sql);
            CompareChecks(result, table, lt, src, sql);
        }
        foreach (var extra in liveTables.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            result.Add(new(DbOpsSchemaDifferenceKind.Table, extra.Name, extra.Name, null, "table",
                $"table {extra.Name} ({Count(extra.Columns.Count, "column")}) exists in the database but not in {src}", sql.DropTable(extra.Name)));
        return new DbOpsSchemaReport(src, expected.Tables.Count, result);
    }

    private static void CompareColumns(List<DbOpsSchemaDifference> result, DbOpsTableShape table, DbOpsTableShape lt, string src, DbOpsSchemaReader sql)
    {
        var t = table.Name;
        var liveColumns = new Dictionary<string, DbOpsColumnShape>(StringComparer.Ordinal);
        foreach (var c in lt.Columns) liveColumns[c.Name] = c;
        foreach (var column in table.Columns)
        {
            var o = $"{t}.{column.Name}";
            if (!liveColumns.Remove(column.Name, out var lc))
            {
                result.Add(new(DbOpsSchemaDifferenceKind.Column, t, o, sql.NormalizeType(column.Type), null,
                    $"column {o} ({sql.NormalizeType(column.Type)}) of {src} is missing from the database", null));
                continue;
            }
            var (expectedType, liveType) = (sql.NormalizeType(column.Type), sql.NormalizeType(lc.Type));
            if (expectedType != liveType)
                result.Add(new(DbOpsSchemaDifferenceKind.ColumnType, t, o, expectedType, liveType,
                    $"column {o} is {liveType} in the database but {expectedType} in {src}", sql.AlterColumnType(t, column)));
            if (column.Nullable != lc.Nullable)
                result.Add(new(DbOpsSchemaDifferenceKind.ColumnNullability, t, o, Nullability(column), Nullability(lc),
                    $"column {o} is {Nullability(lc)} in the database but {Nullability(column)} in {src}", sql.AlterColumnNullability(t, column)));
            if (sql.NormalizeDefault(column.Default) != sql.NormalizeDefault(lc.Default))
                result.Add(new(DbOpsSchemaDifferenceKind.ColumnDefault, t, o, Default(column), Default(lc),
                    $"column {o} has {Default(lc)} in the database but {Default(column)} in {src}", sql.AlterColumnDefault(t, column)));
        }
        foreach (var extra in lt.Columns.Where(c => liveColumns.ContainsKey(c.Name)))
            result.Add(new(DbOpsSchemaDifferenceKind.Column, t, $"{t}.{extra.Name}", null, sql.NormalizeType(extra.Type),
                $"column {t}.{extra.Name} ({sql.NormalizeType(extra.Type)}) exists in the database but not in {src}", sql.DropColumn(t, extra.Name)));
    }

    private static void ComparePrimaryKey(List<DbOpsSchemaDifference> result, DbOpsTableShape table, DbOpsTableShape lt, string src)
    {
        if (table.PrimaryKey.SequenceEqual(lt.PrimaryKey, StringComparer.Ordinal)) return;
        string Key(IReadOnlyList<string> k) => k.Count == 0 ? "no primary key" : $"primary key ({string.Join(", ", k)})";
        result.Add(new(DbOpsSchemaDifferenceKind.PrimaryKey, table.Name, $"primary key of {table.Name}", Key(table.PrimaryKey), Key(lt.PrimaryKey),
            $"table {table.Name} has {Key(lt.PrimaryKey)} in the database but {Key(table.PrimaryKey)} in {src}", null));
    }

    private static void CompareUniques(List<DbOpsSchemaDifference> result, DbOpsTableShape table, DbOpsTableShape lt, string src, DbOpsSchemaReader sql)
    {
        var t = table.Name;
        var live = lt.Uniques.ToList();
        foreach (var u in table.Uniques)
        {
            var match = live.FindIndex(l => l.Columns.SequenceEqual(u.Columns, StringComparer.Ordinal));
            if (match >= 0) { live.RemoveAt(match); continue; }
            result.Add(new(DbOpsSchemaDifferenceKind.Unique, t, UniqueName(t, u), Cols(u.Columns), null,
                $"{UniqueName(t, u)} of {src} is missing from the database", sql.AddUnique(t, u)));
        }
        foreach (var u in live)
            result.Add(new(DbOpsSchemaDifferenceKind.Unique, t, UniqueName(t, u), null, Cols(u.Columns),
                $"{UniqueName(t, u)} exists in the database but not in {src}", u.Name is null ? null : sql.DropConstraint(t, u.Name)));
    }

    private static void CompareIndexes(List<DbOpsSchemaDifference> result, DbOpsTableShape table, DbOpsTableShape lt, string src, DbOpsSchemaReader sql)
    {
        var t = table.Name;
        var live = new Dictionary<string, DbOpsIndexShape>(StringComparer.Ordinal);
        foreach (var i in lt.Indexes) live[i.Name] = i;
        foreach (var index in table.Indexes)
        {
            var o = $"index {index.Name} on {t}";
            if (!live.Remove(index.Name, out var li))
            {
                result.Add(new(DbOpsSchemaDifferenceKind.Index, t, o, Describe(index), null,
                    $"{o} {Describe(index)} of {src} is missing from the database", sql.CreateIndex(t, index)));
                continue;
            }
            var same = index.Unique == li.Unique && index.Columns.SequenceEqual(li.Columns, StringComparer.Ordinal)
                && (index.Filter is null ? null : sql.NormalizeSql(index.Filter)) == (li.Filter is null ? null : sql.NormalizeSql(li.Filter));
            if (!same)
                result.Add(new(DbOpsSchemaDifferenceKind.Index, t, o, Describe(index), Describe(li),
                    $"{o} is {Describe(li)} in the database but {Describe(index)} in {src}",
                    sql.DropIndex(t, index.Name) + " " + sql.CreateIndex(t, index)));
        }
        foreach (var extra in live.Values.OrderBy(i => i.Name, StringComparer.Ordinal))
            result.Add(new(DbOpsSchemaDifferenceKind.Index, t, $"index {extra.Name} on {t}", null, Describe(extra),
                $"index {extra.Name} on {t} {Describe(extra)} exists in the database but not in {src}", sql.DropIndex(t, extra.Name)));
    }

    private static void CompareForeignKeys(List<DbOpsSchemaDifference> result, DbOpsTableShape table, DbOpsTableShape lt, string src, DbOpsSchemaReader sql)
    {
        var t = table.Name;
        var live = lt.ForeignKeys.ToList();
        foreach (var fk in table.ForeignKeys)
        {
            var o = FkName(t, fk);
            var match = live.FindIndex(l => l.Columns.SequenceEqual(fk.Columns, StringComparer.Ordinal)
                && l.PrincipalTable == fk.PrincipalTable && l.PrincipalColumns.SequenceEqual(fk.PrincipalColumns, StringComparer.Ordinal));
            if (match < 0)
            {
                result.Add(new(DbOpsSchemaDifferenceKind.ForeignKey, t, o, Target(fk), null,
                    $"{o} {Target(fk)} of {src} is missing from the database", sql.AddForeignKey(t, fk)));
                continue;
            }
            var lfk = live[match];
            live.RemoveAt(match);
            if (DbOpsSchemaReader.DeleteRule(lfk.OnDelete) != DbOpsSchemaReader.DeleteRule(fk.OnDelete))
            {
                var drop = lfk.Name is null ? null : sql.DropConstraint(t, lfk.Name);
                var add = sql.AddForeignKey(t, fk);
                result.Add(new(DbOpsSchemaDifferenceKind.ForeignKey, t, o, $"ON DELETE {fk.OnDelete}", $"ON DELETE {lfk.OnDelete}",
                    $"{o} is ON DELETE {DbOpsSchemaReader.DeleteRule(lfk.OnDelete)} in the database but ON DELETE {DbOpsSchemaReader.DeleteRule(fk.OnDelete)} in {src}",
                    drop is null || add is null ? null : drop + " " + add));
            }
        }
        foreach (var extra in live)
            result.Add(new(DbOpsSchemaDifferenceKind.ForeignKey, t, FkName(t, extra), null, Target(extra),
                $"{FkName(t, extra)} {Target(extra)} exists in the database but not in {src}", extra.Name is null ? null : sql.DropConstraint(t, extra.Name)));
    }

    private static void CompareChecks(List<DbOpsSchemaDifference> result, DbOpsTableShape table, DbOpsTableShape lt, string src, DbOpsSchemaReader sql)
    {
        var t = table.Name;
        var live = new Dictionary<string, DbOpsCheckShape>(StringComparer.Ordinal);
        foreach (var c in lt.Checks) live[c.Name] = c;
        foreach (var check in table.Checks)
        {
            var o = $"check {check.Name} on {t}";
            if (!live.Remove(check.Name, out var lc))
            {
                result.Add(new(DbOpsSchemaDifferenceKind.Check, t, o, check.Sql, null,
                    $"{o} {Paren(check.Sql)} of {src} is missing from the database", sql.AddCheck(t, check)));
                continue;
            }
            if (sql.NormalizeSql(check.Sql) != sql.NormalizeSql(lc.Sql))
            {
                var drop = sql.DropConstraint(t, check.Name);
                var add = sql.AddCheck(t, check);
                result.Add(new(DbOpsSchemaDifferenceKind.Check, t, o, check.Sql, lc.Sql,
                    $"{o} is {Paren(lc.Sql)} in the database but {Paren(check.Sql)} in {src}", drop is null || add is null ? null : drop + " " + add));
            }
        }
        foreach (var extra in live.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
            result.Add(new(DbOpsSchemaDifferenceKind.Check, t, $"check {extra.Name} on {t}", null, extra.Sql,
                $"check {extra.Name} on {t} {Paren(extra.Sql)} exists in the database but not in {src}", sql.DropConstraint(t, extra.Name)));
    }

    private static string Paren(string sql) => DbOpsSchemaReader.Parenthesized(sql);

    private static string Nullability(DbOpsColumnShape c) => c.Nullable ? "nullable" : "NOT NULL";

    private static string Default(DbOpsColumnShape c) => c.Default is null ? "no default" : $"default {c.Default}";

    private static string Cols(IReadOnlyList<string> columns) => "(" + string.Join(", ", columns) + ")";

    private static string UniqueName(string table, DbOpsUniqueShape u) =>
        $"unique constraint {(u.Name is null ? "" : u.Name + " ")}on {table} {Cols(u.Columns)}";

    private static string FkName(string table, DbOpsForeignKeyShape fk) =>
        $"foreign key {(fk.Name is null ? "" : fk.Name + " ")}on {table} {Cols(fk.Columns)}";

    private static string Target(DbOpsForeignKeyShape fk) =>
        $"-> {fk.PrincipalTable}{Cols(fk.PrincipalColumns)} ON DELETE {DbOpsSchemaReader.DeleteRule(fk.OnDelete)}";

    private static string Describe(DbOpsIndexShape i) =>
        Cols(i.Columns) + (i.Unique ? " unique" : "") + (i.Filter is null ? "" : $" where {i.Filter}");

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";
}
