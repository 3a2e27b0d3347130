using System.Globalization;
using System.Text.RegularExpressions;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;

namespace DbOps.Schema.Parsing;

/// <summary>
/// Turns one file's YAML tree into <see cref="FileSyntax"/>: checks keys, node kinds and the shape of values.
/// Cross-file and cross-entity rules (types, references, collisions) are the validator's job.
/// </summary>
internal sealed partial class SchemaParser
{
    internal static readonly string[] TopLevelKeys = ["dbops", "name", "namespace", "provider", "naming", "enums", "entities", "queries"];
    internal static readonly string[] EntityKeys = ["table", "columns", "primaryKey", "indexes", "checks", "plural", "renamedFrom", "deprecated", "comment"];
    internal static readonly string[] ColumnKeys =
        ["type", "nullable", "primaryKey", "identity", "unique", "default", "defaultSql", "column", "references", "onDelete",
         "minLength", "min", "max", "pattern", "renamedFrom", "deprecated", "comment"];
    internal static readonly string[] IndexKeys = ["columns", "unique", "name", "where"];
    internal static readonly string[] CheckKeys = ["name", "sql"];
    internal static readonly string[] QueryKeys = ["sql", "params", "returns", "comment"];
    internal static readonly string[] EnumKeys = ["members", "comment"];

    private readonly List<Diagnostic> _d;

    private SchemaParser(List<Diagnostic> diagnostics) => _d = diagnostics;

    public static FileSyntax? Parse(string path, string text, YNode? root, bool empty, List<Diagnostic> diagnostics)
    {
        var parser = new SchemaParser(diagnostics);
        if (root is null)
        {
            if (empty) diagnostics.Add(SchemaDiagnostics.FormatVersion(new SourceLocation(path, 1, 1), FormatVersionProblem.EmptyFile));
            return null;
        }
        if (root is not YMapping map)
        {
            diagnostics.Add(SchemaDiagnostics.WrongNodeKind(root.Location, "the schema file", "a mapping of keys (dbops:, entities:, ...)", root.KindName));
            return null;
        }
        return parser.ParseFile(path, map, YamlTreeReader.SplitLines(text));
    }

    // ---------------------------------------------------------------- entries and scalars

    [GeneratedRegex(@"^[^()]*\([^()]*$")]
    private static partial Regex UnclosedParen();

    [GeneratedRegex(@"^[^()]*\)[^()]*$")]
    private static partial Regex ClosingHalf();

    /// <summary>
    /// The entries of a mapping; in flow mappings a value like <c>decimal(12</c> followed by a key <c>2)</c> is YAML's
    /// comma split of <c>decimal(12,2)</c>: reported once (DBOPS1023) and returned with <c>Split = true</c>, its tail dropped.
    /// </summary>
    private IEnumerable<(YScalar Key, YNode Value, bool Split)> Entries(YMapping map)
    {
        var entries = map.Entries;
        for (var i = 0; i < entries.Count; i++)
        {
            var (key, value) = entries[i];
            if (map.Flow && value is YScalar { IsPlain: true } s && UnclosedParen().IsMatch(s.Value) &&
                i + 1 < entries.Count && entries[i + 1].Key.IsPlain && ClosingHalf().IsMatch(entries[i + 1].Key.Value) &&
                entries[i + 1].Value is YScalar { IsNull: true })
            {
                _d.Add(SchemaDiagnostics.SplitTypeInFlowMapping(s.Location, s.Value.Trim() + "," + entries[i + 1].Key.Value.Trim()));
                i++;
                yield return (key, value, true);
                continue;
            }
            yield return (key, value, false);
        }
    }

    private void UnknownKey(YScalar key, string where, string[] allowed) =>
        _d.Add(SchemaDiagnostics.UnknownKey(key.Location, key.Value, where, Suggestions.Closest(key.Value, allowed)));

    private bool Kind<T>(YNode node, string where, string expected, out T result) where T : YNode
    {
        if (node is T t)
        {
            result = t;
            return true;
        }
        _d.Add(SchemaDiagnostics.WrongNodeKind(node.Location, where, expected, node.KindName));
        result = null!;
        return false;
    }

    /// <summary>A non-empty scalar string.</summary>
    private Located<string>? Text(YNode node, string where, string expected = "a text value")
    {
        if (node is YScalar s && !s.IsNull) return new Located<string>(s.Value, s.Location);
        _d.Add(SchemaDiagnostics.WrongNodeKind(node.Location, where, expected, node.KindName));
        return null;
    }

    /// <summary><c>deprecated: true</c> (""), <c>false</c> (null) or a reason text.</summary>
    private string? Deprecation(YNode node, string where)
    {
        var text = Text(node, $"deprecated of {where}", "true or the reason")?.Value;
        if (text is null || text.Equals("false", StringComparison.OrdinalIgnoreCase)) return null;
        return text.Equals("true", StringComparison.OrdinalIgnoreCase) ? "" : text;
    }

    private Located<bool>? Bool(YNode node, string key, string where)
    {
        if (node is not YScalar s)
        {
            _d.Add(SchemaDiagnostics.WrongNodeKind(node.Location, where, "true or false", node.KindName));
            return null;
        }
        if (s.Value.Equals("true", StringComparison.OrdinalIgnoreCase)) return new Located<bool>(true, s.Location);
        if (s.Value.Equals("false", StringComparison.OrdinalIgnoreCase)) return new Located<bool>(false, s.Location);
        _d.Add(SchemaDiagnostics.InvalidValue(s.Location, key, YScalar.Shorten(s.Value), "true or false"));
        return null;
    }

    private Located<decimal>? Number(YNode node, string key, string where)
    {
        if (node is not YScalar s || s.IsNull)
        {
            _d.Add(SchemaDiagnostics.WrongNodeKind(node.Location, where, "a number", node.KindName));
            return null;
        }
        if (decimal.TryParse(s.Value.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var v))
            return new Located<decimal>(v, s.Location);
        _d.Add(SchemaDiagnostics.InvalidValue(s.Location, key, YScalar.Shorten(s.Value), "a number"));
        return null;
    }

    private Located<int>? Integer(YNode node, string key, string where)
    {
        if (node is not YScalar s || s.IsNull)
        {
            _d.Add(SchemaDiagnostics.WrongNodeKind(node.Location, where, "a whole number", node.KindName));
            return null;
        }
        if (int.TryParse(s.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            return new Located<int>(v, s.Location);
        _d.Add(SchemaDiagnostics.InvalidValue(s.Location, key, YScalar.Shorten(s.Value), "a whole number"));
        return null;
    }

    private TypeSyntax? Type(YNode node, bool split, string where)
    {
        if (node is YScalar s && split)
            return new TypeSyntax { Text = s.Value, Location = s.Location, AlreadyReported = true };
        if (node is YScalar t && !t.IsNull) return TypeSyntax.Parse(t.Value, t.Location);
        _d.Add(SchemaDiagnostics.WrongNodeKind(node.Location, where, "a type (e.g. int64, string(200), decimal(12,2))", node.KindName));
        return null;
    }

    /// <summary>A list of names; a single scalar counts as a one-element list.</summary>
    private List<Located<string>>? NameList(YNode node, string where, bool allowScalar)
    {
        if (allowScalar && node is YScalar { IsNull: false } single) return [new Located<string>(single.Value, single.Location)];
        if (node is not YSequence seq)
        {
            _d.Add(SchemaDiagnostics.WrongNodeKind(node.Location, where, "a list of column names, e.g. [A, B]", node.KindName));
            return null;
        }
        var list = new List<Located<string>>();
        var ok = true;
        foreach (var item in seq.Items)
        {
            if (Text(item, where, "a column name") is { } name) list.Add(name);
            else ok = false;
        }
        return ok ? list : null;
    }

    // ---------------------------------------------------------------- file

    private FileSyntax ParseFile(string path, YMapping map, IReadOnlyList<string> lines)
    {
        var file = new FileSyntax { Path = path, Root = map.Location, Lines = lines };
        var sawVersion = false;
        foreach (var (key, value, split) in Entries(map))
        {
            if (split) continue;
            switch (key.Value)
            {
                case "dbops":
                    sawVersion = true;
                    if (value is not YScalar v || v.IsNull)
                        _d.Add(SchemaDiagnostics.WrongNodeKind(value.Location, "'dbops'", "the format version 1", value.KindName));
                    else if (v.Value.Trim() != "1")
                        _d.Add(SchemaDiagnostics.FormatVersion(v.Location, FormatVersionProblem.Unsupported, YScalar.Shorten(v.Value)));
                    break;
                case "name":
                    file.Name = Text(value, "'name'", "a C# class name");
                    break;
                case "namespace":
                    file.Namespace = Text(value, "'namespace'", "a C# namespace");
                    break;
                case "provider":
                    if (Text(value, "'provider'", "sqlite, postgresql or sqlserver") is { } p)
                    {
                        if (DbProviders.TryParse(p.Value, false, out var provider)) file.Provider = new Located<DbProvider>(provider, p.Location);
                        else _d.Add(SchemaDiagnostics.InvalidValue(p.Location, "provider", YScalar.Shorten(p.Value), "sqlite, postgresql or sqlserver",
                            Suggestions.Closest(p.Value, DbProviders.Names)));
                    }
                    break;
                case "naming":
                    if (Text(value, "'naming'", "snake_case or exact") is { } n)
                    {
                        if (n.Value == "snake_case") file.Naming = new Located<NamingStyle>(NamingStyle.SnakeCase, n.Location);
                        else if (n.Value == "exact") file.Naming = new Located<NamingStyle>(NamingStyle.Exact, n.Location);
                        else _d.Add(SchemaDiagnostics.InvalidValue(n.Location, "naming", YScalar.Shorten(n.Value), "snake_case or exact",
                            Suggestions.Closest(n.Value, ["snake_case", "exact"])));
                    }
                    break;
                case "enums":
                    if (value is YScalar { IsNull: true }) break;
                    if (Kind<YMapping>(value, "'enums'", "a mapping of enum names to member lists", out var enums)) ParseEnums(file, enums);
                    break;
                case "entities":
                    if (value is YScalar { IsNull: true }) break;
                    if (Kind<YMapping>(value, "'entities'", "a mapping of entity names to definitions", out var entities)) ParseEntities(file, entities);
                    break;
                case "queries":
                    if (value is YScalar { IsNull: true }) break;
                    if (Kind<YMapping>(value, "'queries'", "a mapping of query names to definitions", out var queries)) ParseQueries(file, queries);
                    break;
                default:
                    UnknownKey(key, "the top level", TopLevelKeys);
                    break;
            }
        }
        if (!sawVersion) _d.Add(SchemaDiagnostics.FormatVersion(map.Location, FormatVersionProblem.Missing));
        return file;
    }

    // ---------------------------------------------------------------- enums

    private void ParseEnums(FileSyntax file, YMapping map)
    {
        foreach (var (key, value, split) in Entries(map))
        {
            if (split) continue;
            var e = new EnumSyntax { Name = new Located<string>(key.Value, key.Location) };
            file.Enums.Add(e);
            var where = $"enum '{key.Value}'";
            YNode? members = value;
            if (value is YMapping m)
            {
                members = null;
                foreach (var (k, v, sp) in Entries(m))
                {
                    if (sp) continue;
                    switch (k.Value)
                    {
                        case "members": members = v; break;
                        case "comment": e.Comment = Text(v, $"the comment of {where}")?.Value; break;
                        default: UnknownKey(k, where, EnumKeys); break;
                    }
                }
                if (members is null)
                {
                    _d.Add(SchemaDiagnostics.MissingRequiredKey(key.Location, $"Enum '{key.Value}'", "members"));
                    e.Broken = true;
                    continue;
                }
            }
            e.MembersLocation = members.Location;
            if (members is YScalar { IsNull: true })
            {
                continue; // reported as an empty enum by the validator
            }
            if (!Kind<YSequence>(members, where, "a list of member names, e.g. [Pending, Paid]", out var seq))
            {
                e.Broken = true;
                continue;
            }
            foreach (var item in seq.Items)
            {
                if (Text(item, $"a member of {where}", "a member name") is { } member) e.Members.Add(member);
                else e.Broken = true;
            }
        }
    }

    // ---------------------------------------------------------------- entities

    private void ParseEntities(FileSyntax file, YMapping map)
    {
        foreach (var (key, value, split) in Entries(map))
        {
            if (split) continue;
            var entity = new EntitySyntax { Name = new Located<string>(key.Value, key.Location) };
            file.Entities.Add(entity);
            var where = $"entity '{key.Value}'";
            if (!Kind<YMapping>(value, where, "a mapping with 'columns:'", out var body))
            {
                entity.ColumnsBroken = true;
                continue;
            }
            foreach (var (k, v, sp) in Entries(body))
            {
                if (sp) continue;
                switch (k.Value)
                {
                    case "table": entity.Table = Text(v, $"the table of {where}", "a table name"); break;
                    case "plural": entity.Plural = Text(v, $"the plural of {where}", "a C# property name"); break;
                    case "renamedFrom": entity.RenamedFrom = Text(v, $"renamedFrom of {where}", "the old entity name"); break;
                    case "comment": entity.Comment = Text(v, $"the comment of {where}")?.Value; break;
                    case "deprecated": entity.Deprecated = Deprecation(v, where); break;
                    case "columns":
                        entity.HasColumnsKey = true;
                        if (Kind<YMapping>(v, $"the columns of {where}", "a mapping of column names to types", out var cols)) ParseColumns(entity, cols);
                        else entity.ColumnsBroken = true;
                        break;
                    case "primaryKey":
                        entity.PrimaryKeyLocation = k.Location;
                        entity.PrimaryKey = NameList(v, $"the primaryKey of {where}", allowScalar: true);
                        if (entity.PrimaryKey is null) entity.PrimaryKeyBroken = true;
                        break;
                    case "indexes":
                        if (v is YScalar { IsNull: true }) break;
                        if (Kind<YSequence>(v, $"the indexes of {where}", "a list of indexes (- columns: [A, B])", out var indexes))
                            foreach (var item in indexes.Items) ParseIndex(entity, item, where);
                        break;
                    case "checks":
                        if (v is YScalar { IsNull: true }) break;
                        if (Kind<YSequence>(v, $"the checks of {where}", "a list of checks (- name: x, sql: ...)", out var checks))
                            foreach (var item in checks.Items) ParseCheck(entity, item, where);
                        break;
                    default:
                        UnknownKey(k, where, EntityKeys);
                        break;
                }
            }
            if (!entity.HasColumnsKey)
            {
                _d.Add(SchemaDiagnostics.MissingRequiredKey(key.Location, $"Entity '{key.Value}'", "columns"));
                entity.ColumnsBroken = true;
            }
        }
    }

    private void ParseColumns(EntitySyntax entity, YMapping map)
    {
        foreach (var (key, value, split) in Entries(map))
        {
            var column = new ColumnSyntax { Name = new Located<string>(key.Value, key.Location) };
            entity.Columns.Add(column);
            var owner = $"{entity.Name.Value}.{key.Value}";
            var where = $"column '{owner}'";
            if (value is YScalar scalar)
            {
                if (scalar.IsNull)
                {
                    _d.Add(SchemaDiagnostics.MissingRequiredKey(key.Location, $"Column '{owner}'", "type"));
                    column.Broken = true;
                    continue;
                }
                column.Type = Type(scalar, split, where);
                continue;
            }
            if (!Kind<YMapping>(value, where, "a type or a mapping with 'type:'", out var body))
            {
                column.Broken = true;
                continue;
            }
            var sawType = false;
            foreach (var (k, v, sp) in Entries(body))
            {
                switch (k.Value)
                {
                    case "type":
                        sawType = true;
                        column.Type = Type(v, sp, $"the type of {where}");
                        if (column.Type is null) column.Broken = true;
                        break;
                    case "nullable": column.Nullable = Bool(v, "nullable", where); break;
                    case "primaryKey":
                        column.PrimaryKey = Bool(v, "primaryKey", where);
                        column.PrimaryKeyInvalid = column.PrimaryKey is null;
                        break;
                    case "identity": column.Identity = Bool(v, "identity", where); break;
                    case "unique": column.Unique = Bool(v, "unique", where); break;
                    case "default":
                        if (sp) break;
                        if (v is YScalar { IsNull: false } d) column.Default = d;
                        else _d.Add(SchemaDiagnostics.WrongNodeKind(v.Location, $"the default of {where}", "a single value", v.KindName));
                        break;
                    case "defaultSql": if (!sp) column.DefaultSql = Text(v, $"defaultSql of {where}", "an SQL expression"); break;
                    case "column": if (!sp) column.ColumnName = Text(v, $"the column name of {where}", "a column name"); break;
                    case "references": if (!sp) column.References = Text(v, $"references of {where}", "Entity or Entity.Column"); break;
                    case "onDelete":
                        if (!sp && Text(v, $"onDelete of {where}", "cascade, restrict, setNull or noAction") is { } od)
                        {
                            OnDeleteAction? action = od.Value switch
                            {
                                "cascade" => OnDeleteAction.Cascade,
                                "restrict" => OnDeleteAction.Restrict,
                                "setNull" => OnDeleteAction.SetNull,
                                "noAction" => OnDeleteAction.NoAction,
                                _ => null,
                            };
                            if (action is { } a) column.OnDelete = new Located<OnDeleteAction>(a, od.Location);
                            else _d.Add(SchemaDiagnostics.InvalidValue(od.Location, "onDelete", YScalar.Shorten(od.Value),
                                "cascade, restrict, setNull or noAction", Suggestions.Closest(od.Value, ["cascade", "restrict", "setNull", "noAction"])));
                        }
                        break;
                    case "minLength": if (!sp) column.MinLength = Integer(v, "minLength", where); break;
                    case "min": if (!sp) column.Min = Number(v, "min", where); break;
                    case "max": if (!sp) column.Max = Number(v, "max", where); break;
                    case "pattern": if (!sp) column.Pattern = Text(v, $"the pattern of {where}", "a regular expression"); break;
                    case "renamedFrom": if (!sp) column.RenamedFrom = Text(v, $"renamedFrom of {where}", "the old column name"); break;
                    case "comment": if (!sp) column.Comment = Text(v, $"the comment of {where}")?.Value; break;
                    case "deprecated": if (!sp) column.Deprecated = Deprecation(v, where); break;
                    default: UnknownKey(k, where, ColumnKeys); break;
                }
            }
            if (!sawType)
            {
                _d.Add(SchemaDiagnostics.MissingRequiredKey(key.Location, $"Column '{owner}'", "type"));
                column.Broken = true;
            }
        }
    }

    private void ParseIndex(EntitySyntax entity, YNode node, string where)
    {
        var index = new IndexSyntax { Location = node.Location };
        var indexWhere = $"an index of {where}";
        if (!Kind<YMapping>(node, indexWhere, "a mapping with 'columns:'", out var body)) return;
        entity.Indexes.Add(index);
        var sawColumns = false;
        foreach (var (k, v, sp) in Entries(body))
        {
            if (sp) continue;
            switch (k.Value)
            {
                case "columns":
                    sawColumns = true;
                    index.Columns = NameList(v, $"the columns of {indexWhere}", allowScalar: false);
                    if (index.Columns is null) index.Broken = true;
                    break;
                case "unique": index.Unique = Bool(v, "unique", indexWhere)?.Value ?? false; break;
                case "name": index.Name = Text(v, $"the name of {indexWhere}", "an index name"); break;
                case "where": index.Where = Text(v, $"the filter of {indexWhere}", "an SQL condition")?.Value; break;
                default: UnknownKey(k, indexWhere, IndexKeys); break;
            }
        }
        if (!sawColumns)
        {
            _d.Add(SchemaDiagnostics.MissingRequiredKey(node.Location, $"An index of entity '{entity.Name.Value}'", "columns"));
            index.Broken = true;
        }
    }

    private void ParseCheck(EntitySyntax entity, YNode node, string where)
    {
        var check = new CheckSyntax { Location = node.Location };
        var checkWhere = $"a check of {where}";
        if (!Kind<YMapping>(node, checkWhere, "a mapping with 'sql:'", out var body)) return;
        var sawSql = false;
        foreach (var (k, v, sp) in Entries(body))
        {
            if (sp) continue;
            switch (k.Value)
            {
                case "name": check.Name = Text(v, $"the name of {checkWhere}", "a constraint name"); break;
                case "sql":
                    sawSql = true;
                    check.Sql = Text(v, $"the SQL of {checkWhere}", "an SQL condition")?.Value;
                    break;
                default: UnknownKey(k, checkWhere, CheckKeys); break;
            }
        }
        if (!sawSql) _d.Add(SchemaDiagnostics.MissingRequiredKey(node.Location, $"A check of entity '{entity.Name.Value}'", "sql"));
        if (check.Sql is not null) entity.Checks.Add(check);
    }

    // ---------------------------------------------------------------- queries

    private void ParseQueries(FileSyntax file, YMapping map)
    {
        foreach (var (key, value, split) in Entries(map))
        {
            if (split) continue;
            var query = new QuerySyntax { Name = new Located<string>(key.Value, key.Location) };
            file.Queries.Add(query);
            var where = $"query '{key.Value}'";
            if (!Kind<YMapping>(value, where, "a mapping with 'sql:'", out var body))
            {
                query.ParamsBroken = true;
                continue;
            }
            var sawSql = false;
            foreach (var (k, v, sp) in Entries(body))
            {
                if (sp) continue;
                switch (k.Value)
                {
                    case "sql":
                        sawSql = true;
                        if (v is YScalar { IsNull: false } sql && sql.Value.Trim().Length > 0) query.Sql = sql;
                        else _d.Add(SchemaDiagnostics.WrongNodeKind(v.Location, $"the SQL of {where}", "an SQL statement", v.KindName));
                        break;
                    case "comment": query.Comment = Text(v, $"the comment of {where}")?.Value; break;
                    case "params":
                        if (v is YScalar { IsNull: true }) break;
                        if (!Kind<YMapping>(v, $"the params of {where}", "a mapping of parameter names to types", out var ps))
                        {
                            query.ParamsBroken = true;
                            break;
                        }
                        foreach (var (pk, pv, psplit) in Entries(ps))
                        {
                            var type = Type(pv, psplit, $"parameter '{pk.Value}' of {where}");
                            if (type is null) query.ParamsBroken = true;
                            else query.Params.Add((new Located<string>(pk.Value, pk.Location), type));
                        }
                        break;
                    case "returns":
                        var returns = new ReturnsSyntax { Location = v.Location };
                        query.Returns = returns;
                        if (v is YScalar) returns.Scalar = Type(v, sp, $"the result of {where}");
                        else if (v is YMapping rm)
                        {
                            foreach (var (rk, rv, rsplit) in Entries(rm))
                            {
                                var type = Type(rv, rsplit, $"result column '{rk.Value}' of {where}");
                                if (type is null) returns.Broken = true;
                                else returns.Columns.Add((new Located<string>(rk.Value, rk.Location), type));
                            }
                            if (rm.Entries.Count == 0)
                            {
                                _d.Add(SchemaDiagnostics.WrongNodeKind(v.Location, $"the result of {where}", "a type or a mapping of column names to types", "an empty mapping"));
                                returns.Broken = true;
                            }
                        }
                        else
                        {
                            _d.Add(SchemaDiagnostics.WrongNodeKind(v.Location, $"the result of {where}", "a type or a mapping of column names to types", v.KindName));
                            returns.Broken = true;
                        }
                        if (returns.Scalar is null && returns.Columns.Count == 0) returns.Broken = true;
                        break;
                    default: UnknownKey(k, where, QueryKeys); break;
                }
            }
            if (!sawSql) _d.Add(SchemaDiagnostics.MissingRequiredKey(key.Location, $"Query '{key.Value}'", "sql"));
        }
    }
}
