using System.Text.RegularExpressions;
using DbOps.Schema.Diagnostics;
using DbOps.Schema.Model;
using DbOps.Schema.Parsing;

namespace DbOps.Schema.Validation;

/// <summary>
/// Merges the parsed files and checks every cross-cutting rule: names, types, keys, references, indexes, queries.
/// Reports everything it finds and builds the <see cref="SchemaModel"/> only when there is no error.
/// </summary>
internal sealed class SchemaValidator
{
    private enum TypeContext { Column, Parameter, Result }

    internal static readonly string[] BuiltinTypes =
        ["bool", "int16", "int32", "int64", "float32", "float64", "decimal", "string", "binary", "guid", "date", "time", "datetime", "datetimeoffset", "json"];

    /// <summary>Members every generated entity class has; a column with one of these names would clash.</summary>
    private static readonly string[] GeneratedEntityMembers = ["Validate", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize"];

    private const string GeneratedCancellationParameter = "cancellationToken";

    private readonly List<Diagnostic> _d;
    private readonly Dictionary<string, EnumInfo> _enums = new(StringComparer.Ordinal);
    private readonly List<EntityInfo> _entities = [];
    private readonly Dictionary<string, EntityInfo> _entityByName = new(StringComparer.Ordinal);
    private NamingStyle _naming;

    private SchemaValidator(List<Diagnostic> diagnostics) => _d = diagnostics;

    private sealed class EnumInfo
    {
        public required EnumSyntax Syntax { get; init; }
        public bool Broken { get; set; }
    }

    private sealed class EntityInfo
    {
        public required EntitySyntax Syntax { get; init; }
        public required string Table { get; init; }
        public required string Plural { get; init; }
        public List<ColumnInfo> Columns { get; } = [];
        public List<string> PrimaryKey { get; } = [];
        public bool PrimaryKeyUnknown { get; set; }
        public List<IndexModel> Indexes { get; } = [];
        public List<CheckModel> Checks { get; } = [];
        private Dictionary<string, ColumnInfo>? _byName;
        private HashSet<string>? _uniqueSingle;

        /// <summary>Column by exact logical name (the first one when duplicated); call after all columns are added.</summary>
        public ColumnInfo? Find(string name)
        {
            if (_byName is null || _byName.Count != Columns.Count)
            {
                _byName = new Dictionary<string, ColumnInfo>(StringComparer.Ordinal);
                foreach (var c in Columns) _byName.TryAdd(c.Syntax.Name.Value, c);
                if (_byName.Count != Columns.Count) return Columns.FirstOrDefault(c => c.Syntax.Name.Value == name);
            }
            return _byName.GetValueOrDefault(name);
        }

        /// <summary>Columns with a unique, unfiltered single-column index; call after indexes are built.</summary>
        public bool IsUniqueColumn(string name)
        {
            _uniqueSingle ??= Indexes.Where(ix => ix.Unique && ix.Where is null && ix.Columns.Count == 1)
                .Select(ix => ix.Columns[0]).ToHashSet(StringComparer.Ordinal);
            return _uniqueSingle.Contains(name);
        }
    }

    private sealed class ColumnInfo
    {
        public required ColumnSyntax Syntax { get; init; }
        public required string ColumnName { get; init; }
        public DbType? Type { get; set; }
        public bool Nullable { get; set; }
        public object? Default { get; set; }
        public ForeignKeyModel? References { get; set; }
        public string Name => Syntax.Name.Value;
    }

    public static SchemaModel? Validate(IReadOnlyList<FileSyntax> files, DbProvider? providerOverride, List<Diagnostic> diagnostics)
    {
        var v = new SchemaValidator(diagnostics);
        return v.Run(files, providerOverride);
    }

    // ================================================================ driver

    private SchemaModel? Run(IReadOnlyList<FileSyntax> files, DbProvider? providerOverride)
    {
        var name = MergeSetting(files, f => f.Name, "name");
        var ns = MergeSetting(files, f => f.Namespace, "namespace");
        var provider = MergeSetting(files, f => f.Provider, "provider");
        var naming = MergeSetting(files, f => f.Naming, "naming");
        _naming = naming?.Value ?? NamingStyle.SnakeCase;
        var dbName = name?.Value ?? "AppDb";
        if (name is { } n) CheckIdentifier(n.Location, "database name", n.Value, typeName: true);
        if (ns is { } nsv) CheckNamespace(nsv);

        // Merge definitions across files: one definition per name.
        var enums = MergeDefinitions(files, f => f.Enums, e => e.Name, "Enum");
        var entities = MergeDefinitions(files, f => f.Entities, e => e.Name, "Entity");
        var queries = MergeDefinitions(files, f => f.Queries, q => q.Name, "Query");

        // Type scope: the database class, entities, enums and queries (which generate {Name}Row types).
        var typeScope = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [dbName] = dbName };
        foreach (var e in enums) ValidateEnum(e, typeScope);
        foreach (var e in entities) ValidateEntity(e, typeScope);
        CheckPlurals(dbName);
        foreach (var e in _entities) ResolveReferences(e);
        CheckPhysicalNames();
        var queryModels = new List<QueryModel>();
        var fileOfQuery = new Dictionary<QuerySyntax, FileSyntax>();
        foreach (var f in files) foreach (var q in f.Queries) fileOfQuery[q] = f;
        foreach (var q in queries)
        {
            if (ValidateQuery(q, fileOfQuery[q], typeScope) is { } qm) queryModels.Add(qm);
        }
        foreach (var e in _entities) WarnUnindexedForeignKeys(e);

        if (_d.Any(x => x.IsError)) return null;

        return new SchemaModel
        {
            Name = dbName,
            Namespace = ns?.Value,
            Provider = providerOverride ?? provider?.Value ?? DbProvider.Sqlite,
            ProviderLocation = providerOverride is null ? provider?.Location : null,
            Naming = _naming,
            Enums = _enums.Values.Select(e => new EnumModel
            {
                Name = e.Syntax.Name.Value,
                Members = e.Syntax.Members.Select(m => m.Value).ToList(),
                Comment = e.Syntax.Comment,
                Location = e.Syntax.Name.Location,
            }).ToList(),
            Entities = _entities.Select(BuildEntity).ToList(),
            Queries = queryModels,
            Location = files.Count > 0 ? files[0].Root : SourceLocation.None,
        };
    }

    private Located<T>? MergeSetting<T>(IReadOnlyList<FileSyntax> files, Func<FileSyntax, Located<T>?> get, string key)
    {
        Located<T>? first = null;
        foreach (var f in files)
        {
            if (get(f) is not { } value) continue;
            if (first is null) first = value;
            else if (!EqualityComparer<T>.Default.Equals(first.Value.Value, value.Value))
                _d.Add(SchemaDiagnostics.MergeConflict(value.Location, $"'{key}: {Display(value.Value)}'", first.Value.Location));
        }
        return first;
    }

    private static string Display<T>(T value) => value switch
    {
        DbProvider p => DbProviders.Name(p),
        NamingStyle s => s == NamingStyle.Exact ? "exact" : "snake_case",
        _ => value?.ToString() ?? "",
    };

    private List<T> MergeDefinitions<T>(IReadOnlyList<FileSyntax> files, Func<FileSyntax, List<T>> get, Func<T, Located<string>> name, string kind)
    {
        var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        var result = new List<T>();
        foreach (var f in files)
        {
            foreach (var item in get(f))
            {
                var n = name(item);
                if (seen.TryGetValue(n.Value, out var first))
                {
                    _d.Add(SchemaDiagnostics.MergeConflict(n.Location, $"{kind} '{n.Value}'", first));
                    continue;
                }
                seen[n.Value] = n.Location;
                result.Add(item);
            }
        }
        return result;
    }

    // ================================================================ names

    /// <summary>Reports an invalid identifier or keyword; returns true when the name is usable.</summary>
    private bool CheckIdentifier(SourceLocation location, string kind, string name, bool typeName)
    {
        if (Identifiers.WhyNotIdentifier(name) is { } why)
        {
            _d.Add(SchemaDiagnostics.InvalidIdentifier(location, kind, YScalar.Shorten(name), why));
            return false;
        }
        if (Identifiers.IsKeyword(name, typeName))
        {
            _d.Add(SchemaDiagnostics.ReservedKeyword(location, kind, name));
            return false;
        }
        if (typeName && kind != "renamedFrom" && Identifiers.ShadowsGeneratedCodeType(name))
        {
            _d.Add(SchemaDiagnostics.ShadowsGeneratedCodeType(location, kind, name));
            return false;
        }
        return true;
    }

    private void CheckNamespace(Located<string> ns)
    {
        foreach (var part in ns.Value.Split('.'))
        {
            if (Identifiers.WhyNotIdentifier(part) is { } why)
            {
                _d.Add(SchemaDiagnostics.InvalidIdentifier(ns.Location, "namespace", YScalar.Shorten(ns.Value),
                    part.Length == 0 ? "it has an empty part between dots." : why));
                return;
            }
            if (Identifiers.Reserved.Contains(part))
            {
                _d.Add(SchemaDiagnostics.ReservedKeyword(ns.Location, "namespace part", part));
                return;
            }
        }
    }

    private bool CheckPhysical(SourceLocation location, string kind, string name)
    {
        if (Identifiers.WhyNotPhysicalName(name) is not { } why) return true;
        _d.Add(SchemaDiagnostics.InvalidIdentifier(location, kind, YScalar.Shorten(name), why));
        return false;
    }

    /// <summary>Adds <paramref name="name"/> to a case-insensitive scope; reports DBOPS1009 when another name takes it.</summary>
    private bool Claim(Dictionary<string, string> scope, SourceLocation location, string kind, string name, string scopeName)
    {
        if (scope.TryGetValue(name, out var other))
        {
            _d.Add(SchemaDiagnostics.NameCollision(location, kind, name, other, scopeName));
            return false;
        }
        scope[name] = name;
        return true;
    }

    /// <summary>Physical constraint/index names are limited to 63 characters (<see cref="Identifiers.ShortenGenerated"/>).</summary>
    internal static string ShortenGenerated(string name) => Identifiers.ShortenGenerated(name);

    // ================================================================ types

    private DbType? ResolveType(TypeSyntax t, TypeContext context, string owner, string? query = null)
    {
        if (t.AlreadyReported) return null;
        var text = YScalar.Shorten(t.Text);
        void Unknown(string? suggestion)
        {
            _d.Add(context switch
            {
                TypeContext.Column => SchemaDiagnostics.UnknownType(t.Location, owner, text, suggestion),
                TypeContext.Parameter => SchemaDiagnostics.UnknownParameterType(t.Location, query!, owner, text, suggestion),
                _ => SchemaDiagnostics.UnknownResultType(t.Location, query!, owner, text, suggestion),
            });
        }
        if (t.Name is null)
        {
            Unknown(null);
            return null;
        }
        var args = t.Args;
        var typeOwner = query is null ? owner : $"{query}.{owner}";
        DbType? NoArgs(DbTypeKind kind)
        {
            if (args is null) return new DbType(kind);
            Unknown(t.Name);
            return null;
        }
        switch (t.Name)
        {
            case "bool": return NoArgs(DbTypeKind.Bool);
            case "int16": return NoArgs(DbTypeKind.Int16);
            case "int32": return NoArgs(DbTypeKind.Int32);
            case "int64": return NoArgs(DbTypeKind.Int64);
            case "float32": return NoArgs(DbTypeKind.Float32);
            case "float64": return NoArgs(DbTypeKind.Float64);
            case "guid": return NoArgs(DbTypeKind.Guid);
            case "date": return NoArgs(DbTypeKind.Date);
            case "time": return NoArgs(DbTypeKind.Time);
            case "datetime": return NoArgs(DbTypeKind.DateTime);
            case "datetimeoffset": return NoArgs(DbTypeKind.DateTimeOffset);
            case "json": return NoArgs(DbTypeKind.Json);
            case "decimal":
                if (args is null)
                    return context == TypeContext.Column ? new DbType(DbTypeKind.Decimal, Precision: 18, Scale: 2) : new DbType(DbTypeKind.Decimal);
                if (args.Count is < 1 or > 2 || args.Any(a => a is null))
                {
                    Unknown(null);
                    return null;
                }
                var p = args[0]!.Value;
                var s = args.Count == 2 ? args[1]!.Value : 0;
                if (p is < 1 or > 38 || s < 0 || s > p)
                {
                    _d.Add(SchemaDiagnostics.DecimalOutOfRange(t.Location, typeOwner, text));
                    return null;
                }
                return new DbType(DbTypeKind.Decimal, Precision: p, Scale: s);
            case "string":
            case "binary":
                var kind = t.Name == "string" ? DbTypeKind.String : DbTypeKind.Binary;
                if (args is null) return new DbType(kind);
                if (args.Count != 1 || args[0] is null)
                {
                    Unknown(null);
                    return null;
                }
                if (args[0] < 1)
                {
                    _d.Add(SchemaDiagnostics.LengthTooSmall(t.Location, typeOwner, text));
                    return null;
                }
                return new DbType(kind, Length: args[0]);
        }
        if (_enums.ContainsKey(t.Name))
        {
            if (args is null) return new DbType(DbTypeKind.Enum, EnumName: t.Name);
            Unknown(t.Name);
            return null;
        }
        Unknown(Suggestions.Closest(t.Name, BuiltinTypes.Concat(_enums.Keys)));
        return null;
    }

    // ================================================================ enums

    private void ValidateEnum(EnumSyntax e, Dictionary<string, string> typeScope)
    {
        var info = new EnumInfo { Syntax = e, Broken = e.Broken };
        _enums[e.Name.Value] = info;
        if (!CheckIdentifier(e.Name.Location, "enum name", e.Name.Value, typeName: true)) info.Broken = true;
        else if (!Claim(typeScope, e.Name.Location, "enum", e.Name.Value, "the schema's type names (entities, enums, queries, the database class)")) info.Broken = true;
        if (e.Broken) return;
        if (e.Members.Count == 0)
        {
            _d.Add(SchemaDiagnostics.InvalidEnum(e.MembersLocation, e.Name.Value, "has no members; list them, e.g. [Pending, Paid]."));
            info.Broken = true;
            return;
        }
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var scope = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in e.Members)
        {
            if (!CheckIdentifier(m.Location, "enum member", m.Value, typeName: false)) { info.Broken = true; continue; }
            if (!exact.Add(m.Value))
            {
                _d.Add(SchemaDiagnostics.InvalidEnum(m.Location, e.Name.Value, $"lists the member '{m.Value}' twice."));
                info.Broken = true;
                continue;
            }
            if (!Claim(scope, m.Location, "enum member", m.Value, $"enum '{e.Name.Value}'")) info.Broken = true;
        }
    }

    // ================================================================ entities

    private void ValidateEntity(EntitySyntax e, Dictionary<string, string> typeScope)
    {
        var name = e.Name.Value;
        var nameOk = CheckIdentifier(e.Name.Location, "entity name", name, typeName: true);
        if (nameOk) Claim(typeScope, e.Name.Location, "entity", name, "the schema's type names (entities, enums, queries, the database class)");

        string table;
        if (e.Table is { } t)
        {
            table = t.Value;
            CheckPhysical(t.Location, "table name", table);
        }
        else
        {
            table = Naming.Apply(_naming, name);
            if (nameOk) CheckPhysical(e.Name.Location, "table name (derived from the entity name; set 'table:')", table);
        }
        string plural;
        if (e.Plural is { } pl)
        {
            plural = pl.Value;
            CheckIdentifier(pl.Location, "plural", plural, typeName: false);
        }
        else plural = nameOk ? Naming.Pluralize(name) : name;

        if (e.RenamedFrom is { } rf)
        {
            if (CheckIdentifier(rf.Location, "renamedFrom", rf.Value, typeName: true) && rf.Value == name)
                _d.Add(SchemaDiagnostics.RenamedFromSameName(rf.Location, name));
        }

        var info = new EntityInfo { Syntax = e, Table = table, Plural = plural };
        _entities.Add(info);
        _entityByName.TryAdd(name, info);

        // Columns.
        var logical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in GeneratedEntityMembers) logical[m] = m + " (a generated member)";
        logical[name] = name + " (the entity's own class name)";
        var physical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var c in e.Columns) info.Columns.Add(ValidateColumn(info, c, logical, physical));

        ValidatePrimaryKey(info);
        ValidateIndexes(info);
        ValidateChecks(info);
    }

    private ColumnInfo ValidateColumn(EntityInfo entity, ColumnSyntax c, Dictionary<string, string> logical, Dictionary<string, string> physical)
    {
        var entityName = entity.Syntax.Name.Value;
        var owner = $"{entityName}.{c.Name.Value}";
        var nameOk = CheckIdentifier(c.Name.Location, "column name", c.Name.Value, typeName: false);
        if (nameOk) nameOk = Claim(logical, c.Name.Location, "column", c.Name.Value, $"entity '{entityName}'");

        string columnName;
        if (c.ColumnName is { } cn)
        {
            columnName = cn.Value;
            if (CheckPhysical(cn.Location, "column name", columnName))
                Claim(physical, cn.Location, "physical column", columnName, $"table '{entity.Table}'");
        }
        else
        {
            columnName = Naming.Apply(_naming, c.Name.Value);
            if (nameOk && CheckPhysical(c.Name.Location, "column name (derived from the logical name; set 'column:')", columnName))
                Claim(physical, c.Name.Location, "physical column", columnName, $"table '{entity.Table}'");
        }

        var info = new ColumnInfo { Syntax = c, ColumnName = columnName };
        if (c.RenamedFrom is { } rf && CheckIdentifier(rf.Location, "renamedFrom", rf.Value, typeName: false) && rf.Value == c.Name.Value)
            _d.Add(SchemaDiagnostics.RenamedFromSameName(rf.Location, owner));

        if (c.Type is not null && !c.Broken) info.Type = ResolveType(c.Type, TypeContext.Column, owner);
        var typeNullable = c.Type?.Nullable ?? false;
        if (typeNullable && c.Nullable is { Value: false } nf)
            _d.Add(SchemaDiagnostics.ConflictingKeys(nf.Location, owner, "nullable: false", $"contradicts the '?' of its type '{c.Type!.Text}'."));
        info.Nullable = typeNullable || c.Nullable is { Value: true };
        var type = info.Type;

        if (c.Identity is { Value: true } id)
        {
            if (type is not null && !type.IsInteger) _d.Add(SchemaDiagnostics.IdentityNotInteger(id.Location, owner, type.ToString()));
            if (info.Nullable) _d.Add(SchemaDiagnostics.ConflictingKeys(id.Location, owner, "identity", "cannot be used on a nullable column."));
            if (c.Default is not null) _d.Add(SchemaDiagnostics.ConflictingKeys(id.Location, owner, "identity", "cannot be combined with 'default'."));
            if (c.DefaultSql is not null) _d.Add(SchemaDiagnostics.ConflictingKeys(id.Location, owner, "identity", "cannot be combined with 'defaultSql'."));
        }
        if (c.Default is not null && c.DefaultSql is { } ds)
            _d.Add(SchemaDiagnostics.ConflictingKeys(ds.Location, owner, "defaultSql", "cannot be combined with 'default'; keep one."));
        if (c.OnDelete is { } od && c.References is null)
            _d.Add(SchemaDiagnostics.ConflictingKeys(od.Location, owner, "onDelete", "needs 'references' (it applies to a foreign key)."));

        // Rules.
        if (type is not null)
        {
            if (c.Min is { } min && !type.IsNumeric) _d.Add(SchemaDiagnostics.InvalidRule(min.Location, owner, $"'min' applies to numbers, not to {type}."));
            if (c.Max is { } max && !type.IsNumeric) _d.Add(SchemaDiagnostics.InvalidRule(max.Location, owner, $"'max' applies to numbers, not to {type}."));
            if (c.MinLength is { } ml && type.Kind != DbTypeKind.String)
                _d.Add(SchemaDiagnostics.InvalidRule(ml.Location, owner, $"'minLength' applies to strings, not to {type}."));
            if (c.Pattern is { } pt && type.Kind != DbTypeKind.String)
                _d.Add(SchemaDiagnostics.InvalidRule(pt.Location, owner, $"'pattern' applies to strings, not to {type}."));
            if (c.MinLength is { } ml2 && type.Kind == DbTypeKind.String && type.Length is { } len && ml2.Value > len)
                _d.Add(SchemaDiagnostics.InvalidRule(ml2.Location, owner, $"minLength {ml2.Value} is greater than the length {len} of {type}."));
        }
        if (c.MinLength is { Value: < 0 } neg) _d.Add(SchemaDiagnostics.InvalidRule(neg.Location, owner, "minLength cannot be negative."));
        if (c.Min is { } lo && c.Max is { } hi && lo.Value > hi.Value)
            _d.Add(SchemaDiagnostics.InvalidRule(hi.Location, owner, $"max {hi.Value} is less than min {lo.Value}."));
        Regex? regex = null;
        if (c.Pattern is { } pattern)
        {
            try
            {
                regex = new Regex(pattern.Value, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                _d.Add(SchemaDiagnostics.InvalidRule(pattern.Location, owner, $"'pattern' is not a valid .NET regular expression ({ex.Message.Split('\n')[0].Trim()})"));
            }
        }

        // Default.
        if (c.Default is { } def && type is not null)
        {
            var text = def.Value;
            if (type.Kind == DbTypeKind.Enum)
            {
                if (_enums.TryGetValue(type.EnumName!, out var en) && !en.Broken)
                {
                    if (en.Syntax.Members.Any(m => m.Value == text)) info.Default = text;
                    else _d.Add(SchemaDiagnostics.EnumDefaultNotMember(def.Location, owner, YScalar.Shorten(text), type.EnumName!,
                        Suggestions.Closest(text, en.Syntax.Members.Select(m => m.Value))));
                }
            }
            else if (!DefaultValues.TryConvert(text, type, out var value, out var reason))
                _d.Add(SchemaDiagnostics.InvalidDefault(def.Location, owner, YScalar.Shorten(text), type.ToString(), reason));
            else
            {
                info.Default = value;
                var number = value switch
                {
                    short s => s, int i => i, long l => l, decimal m => m,
                    float f => (decimal?)SafeDecimal(f), double d => SafeDecimal(d), _ => null,
                };
                if (number is { } nv && c.Min is { } dmin && nv < dmin.Value)
                    _d.Add(SchemaDiagnostics.InvalidDefault(def.Location, owner, YScalar.Shorten(text), type.ToString(), $"it is less than min {dmin.Value}."));
                if (number is { } nv2 && c.Max is { } dmax && nv2 > dmax.Value)
                    _d.Add(SchemaDiagnostics.InvalidDefault(def.Location, owner, YScalar.Shorten(text), type.ToString(), $"it is greater than max {dmax.Value}."));
                if (value is string str && type.Kind == DbTypeKind.String)
                {
                    if (c.MinLength is { } dml && str.Length < dml.Value)
                        _d.Add(SchemaDiagnostics.InvalidDefault(def.Location, owner, YScalar.Shorten(text), type.ToString(), $"it is shorter than minLength {dml.Value}."));
                    if (regex is not null && !SafeMatch(regex, str))
                        _d.Add(SchemaDiagnostics.InvalidDefault(def.Location, owner, YScalar.Shorten(text), type.ToString(), "it does not match the column's pattern."));
                }
            }
        }
        return info;
    }

    private static decimal? SafeDecimal(double d) =>
        double.IsFinite(d) && Math.Abs(d) < 7.9e27 ? (decimal)d : null;

    private static bool SafeMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    private void ValidatePrimaryKey(EntityInfo entity)
    {
        var e = entity.Syntax;
        var name = e.Name.Value;
        var flagged = entity.Columns.Where(c => c.Syntax.PrimaryKey is { Value: true }).ToList();
        if (e.PrimaryKey is { } list)
        {
            if (flagged.Count > 0)
            {
                _d.Add(SchemaDiagnostics.InvalidPrimaryKey(e.PrimaryKeyLocation, name,
                    $"the primary key is declared twice: here and with 'primaryKey: true' on column '{flagged[0].Name}'; keep one."));
                entity.PrimaryKeyUnknown = true;
                return;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var col in list)
            {
                if (!seen.Add(col.Value))
                {
                    _d.Add(SchemaDiagnostics.InvalidPrimaryKey(col.Location, name, $"the primary key lists column '{col.Value}' twice."));
                    entity.PrimaryKeyUnknown = true;
                    continue;
                }
                if (entity.Find(col.Value) is null)
                {
                    if (!e.ColumnsBroken)
                        _d.Add(SchemaDiagnostics.UnknownKeyColumn(col.Location, name, "primary key", col.Value,
                            Suggestions.Closest(col.Value, entity.Columns.Select(c => c.Name))));
                    entity.PrimaryKeyUnknown = true;
                    continue;
                }
                entity.PrimaryKey.Add(col.Value);
            }
            if (list.Count == 0)
            {
                _d.Add(SchemaDiagnostics.MissingPrimaryKey(e.PrimaryKeyLocation, name));
                entity.PrimaryKeyUnknown = true;
            }
        }
        else if (flagged.Count > 1)
        {
            _d.Add(SchemaDiagnostics.InvalidPrimaryKey(flagged[1].Syntax.PrimaryKey!.Value.Location, name,
                $"several columns say 'primaryKey: true' ('{flagged[0].Name}', '{flagged[1].Name}'); declare a composite key on the entity: primaryKey: [{string.Join(", ", flagged.Select(f => f.Name))}]."));
            entity.PrimaryKeyUnknown = true;
            return;
        }
        else if (flagged.Count == 1) entity.PrimaryKey.Add(flagged[0].Name);
        else
        {
            // A broken column might have been the key: don't pile on.
            if (e.PrimaryKeyBroken || e.ColumnsBroken || e.Columns.Any(c => c.Broken || c.PrimaryKeyInvalid)) entity.PrimaryKeyUnknown = true;
            else _d.Add(SchemaDiagnostics.MissingPrimaryKey(e.Name.Location, name));
            entity.PrimaryKeyUnknown = true;
            return;
        }

        foreach (var key in entity.PrimaryKey)
        {
            var col = entity.Find(key)!;
            if (col.Nullable)
                _d.Add(SchemaDiagnostics.InvalidPrimaryKey(col.Syntax.Name.Location, name, $"primary key column '{key}' cannot be nullable."));
        }
        foreach (var col in entity.Columns)
        {
            if (col.Syntax.Identity is not { Value: true } id) continue;
            if (entity.PrimaryKey.Count != 1 || entity.PrimaryKey[0] != col.Name)
                _d.Add(SchemaDiagnostics.InvalidPrimaryKey(id.Location, name,
                    $"'identity' on column '{col.Name}' is only supported on a single-column primary key."));
        }
    }

    private void ValidateIndexes(EntityInfo entity)
    {
        var e = entity.Syntax;
        var name = e.Name.Value;
        foreach (var col in entity.Columns)
        {
            if (col.Syntax.Unique is not { Value: true } u) continue;
            entity.Indexes.Add(new IndexModel
            {
                Name = Identifiers.UniqueColumnIndexName(entity.Table, col.ColumnName),
                Columns = [col.Name],
                Unique = true,
                FromColumn = true,
                Location = u.Location,
            });
        }
        foreach (var ix in e.Indexes)
        {
            if (ix.Broken || ix.Columns is null) continue;
            if (ix.Columns.Count == 0)
            {
                _d.Add(SchemaDiagnostics.InvalidValue(ix.Location, "columns", "[]", "at least one column name"));
                continue;
            }
            var ok = true;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var physical = new List<string>();
            foreach (var c in ix.Columns)
            {
                var col = entity.Find(c.Value);
                if (col is null)
                {
                    if (!e.ColumnsBroken)
                        _d.Add(SchemaDiagnostics.UnknownKeyColumn(c.Location, name, "index", c.Value, Suggestions.Closest(c.Value, entity.Columns.Select(x => x.Name))));
                    ok = false;
                    continue;
                }
                if (!seen.Add(c.Value))
                {
                    _d.Add(SchemaDiagnostics.NameCollision(c.Location, "index column", c.Value, c.Value, $"an index of entity '{name}' (a column may appear once)"));
                    ok = false;
                    continue;
                }
                physical.Add(col.ColumnName);
            }
            string indexName;
            if (ix.Name is { } n)
            {
                indexName = n.Value;
                if (!CheckPhysical(n.Location, "index name", indexName)) ok = false;
            }
            else indexName = Identifiers.IndexName(entity.Table, physical, ix.Unique);
            if (!ok) continue;
            entity.Indexes.Add(new IndexModel
            {
                Name = indexName,
                Columns = ix.Columns.Select(c => c.Value).ToList(),
                Unique = ix.Unique,
                Where = ix.Where,
                Location = ix.Name?.Location ?? ix.Location,
            });
        }
    }

    private void ValidateChecks(EntityInfo entity)
    {
        var number = 0;
        foreach (var ck in entity.Syntax.Checks)
        {
            number++;
            string name;
            if (ck.Name is { } n)
            {
                name = n.Value;
                if (!CheckPhysical(n.Location, "check name", name)) continue;
            }
            else name = ShortenGenerated($"ck_{entity.Table}_{number}");
            entity.Checks.Add(new CheckModel { Name = name, Sql = ck.Sql!, Location = ck.Name?.Location ?? ck.Location });
        }
    }

    private void CheckPlurals(string dbName)
    {
        var scope = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [dbName] = dbName + " (the database class itself)" };
        foreach (var e in _entities)
        {
            var location = e.Syntax.Plural?.Location ?? e.Syntax.Name.Location;
            if (Identifiers.WhyNotIdentifier(e.Plural) is not null) continue;
            Claim(scope, location, "plural", e.Plural, $"the repository properties of '{dbName}' (set 'plural:' to choose another)");
        }
    }

    private void CheckPhysicalNames()
    {
        var tables = new Dictionary<string, EntityInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in _entities)
        {
            if (tables.TryGetValue(e.Table, out var other))
                _d.Add(SchemaDiagnostics.DuplicateTable(e.Syntax.Table?.Location ?? e.Syntax.Name.Location, e.Syntax.Name.Value, e.Table, other.Syntax.Name.Value));
            else tables[e.Table] = e;
        }
        // Index and constraint names share one namespace per database (PostgreSQL: with tables too).
        var scope = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in _entities) scope.TryAdd(e.Table, e.Table);
        foreach (var e in _entities)
        {
            foreach (var ix in e.Indexes) Claim(scope, ix.Location, "index name", ix.Name, "the database's table, index and constraint names");
            foreach (var ck in e.Checks) Claim(scope, ck.Location, "check name", ck.Name, "the database's table, index and constraint names");
            foreach (var c in e.Columns)
            {
                if (c.References is { } fk) Claim(scope, fk.Location, "foreign key name", fk.ConstraintName, "the database's table, index and constraint names");
            }
        }
    }

    // ================================================================ references

    private void ResolveReferences(EntityInfo entity)
    {
        foreach (var col in entity.Columns)
        {
            if (col.Syntax.References is not { } r) continue;
            var owner = $"{entity.Syntax.Name.Value}.{col.Name}";
            var text = r.Value.Trim();
            var dot = text.IndexOf('.');
            var targetName = dot < 0 ? text : text[..dot];
            var targetColumnName = dot < 0 ? null : text[(dot + 1)..];
            if (!_entityByName.TryGetValue(targetName, out var target))
            {
                _d.Add(SchemaDiagnostics.UnknownEntity(r.Location, owner, YScalar.Shorten(targetName), Suggestions.Closest(targetName, _entityByName.Keys)));
                continue;
            }
            ColumnInfo? targetColumn;
            if (targetColumnName is not null)
            {
                targetColumn = target.Find(targetColumnName);
                if (targetColumn is null)
                {
                    if (!target.Syntax.ColumnsBroken)
                        _d.Add(SchemaDiagnostics.UnknownReferencedColumn(r.Location, owner, targetName, YScalar.Shorten(targetColumnName),
                            Suggestions.Closest(targetColumnName, target.Columns.Select(c => c.Name))));
                    continue;
                }
            }
            else
            {
                if (target.PrimaryKeyUnknown) continue;
                if (target.PrimaryKey.Count != 1)
                {
                    _d.Add(SchemaDiagnostics.AmbiguousReference(r.Location, owner, targetName));
                    continue;
                }
                targetColumn = target.Find(target.PrimaryKey[0])!;
            }
            var isKey = !target.PrimaryKeyUnknown && target.PrimaryKey.Count == 1 && target.PrimaryKey[0] == targetColumn.Name;
            var isUnique = targetColumn.Syntax.Unique is { Value: true } || target.IsUniqueColumn(targetColumn.Name);
            if (!isKey && !isUnique && !target.PrimaryKeyUnknown)
                _d.Add(SchemaDiagnostics.ReferenceTargetNotUnique(r.Location, owner, $"{targetName}.{targetColumn.Name}"));
            if (col.Type is not null && targetColumn.Type is not null && col.Type != targetColumn.Type)
                _d.Add(SchemaDiagnostics.ForeignKeyTypeMismatch(col.Syntax.Type!.Location, owner, col.Type.ToString(), $"{targetName}.{targetColumn.Name}", targetColumn.Type.ToString()));
            var onDelete = col.Syntax.OnDelete?.Value ?? OnDeleteAction.NoAction;
            if (onDelete == OnDeleteAction.SetNull && !col.Nullable)
                _d.Add(SchemaDiagnostics.SetNullOnNonNullable(col.Syntax.OnDelete!.Value.Location, owner));
            col.References = new ForeignKeyModel
            {
                Entity = targetName,
                Column = targetColumn.Name,
                OnDelete = onDelete,
                ConstraintName = Identifiers.ForeignKeyName(entity.Table, col.ColumnName),
                Location = r.Location,
            };
        }
    }

    private void WarnUnindexedForeignKeys(EntityInfo entity)
    {
        var leading = entity.Indexes.Where(ix => ix.Columns.Count > 0 && ix.Where is null).Select(ix => ix.Columns[0]).ToHashSet(StringComparer.Ordinal);
        if (entity.PrimaryKey.Count > 0) leading.Add(entity.PrimaryKey[0]);
        foreach (var col in entity.Columns)
        {
            if (col.References is not { } fk) continue;
            var covered = leading.Contains(col.Name);
            if (!covered) _d.Add(SchemaDiagnostics.ForeignKeyWithoutIndex(fk.Location, $"{entity.Syntax.Name.Value}.{col.Name}"));
        }
    }

    private EntityModel BuildEntity(EntityInfo e) => new()
    {
        Name = e.Syntax.Name.Value,
        Table = e.Table,
        Plural = e.Plural,
        Columns = e.Columns.Select(c => new ColumnModel
        {
            Name = c.Name,
            ColumnName = c.ColumnName,
            Type = c.Type!,
            Nullable = c.Nullable,
            Identity = c.Syntax.Identity?.Value ?? false,
            Unique = c.Syntax.Unique?.Value ?? false,
            Default = c.Default,
            DefaultSql = c.Syntax.DefaultSql?.Value,
            References = c.References,
            MinLength = c.Syntax.MinLength?.Value,
            Min = c.Syntax.Min?.Value,
            Max = c.Syntax.Max?.Value,
            Pattern = c.Syntax.Pattern?.Value,
            RenamedFrom = c.Syntax.RenamedFrom?.Value,
            Comment = c.Syntax.Comment,
            Deprecated = c.Syntax.Deprecated,
            Location = c.Syntax.Name.Location,
        }).ToList(),
        PrimaryKey = e.PrimaryKey.ToList(),
        Indexes = e.Indexes.ToList(),
        Checks = e.Checks.ToList(),
        RenamedFrom = e.Syntax.RenamedFrom?.Value,
        Comment = e.Syntax.Comment,
        Deprecated = e.Syntax.Deprecated,
        Location = e.Syntax.Name.Location,
    };

    // ================================================================ queries

    /// <summary>Methods the database class has besides the queries' {Name}Async (without the Async suffix).</summary>
    private static readonly string[] GeneratedDatabaseMethods = ["Migrate", "GetPendingMigrations", "InTransaction", "Dispose", "Create"];

    private QueryModel? ValidateQuery(QuerySyntax q, FileSyntax file, Dictionary<string, string> typeScope)
    {
        var name = q.Name.Value;
        if (CheckIdentifier(q.Name.Location, "query name", name, typeName: true))
        {
            Claim(typeScope, q.Name.Location, "query", name, "the schema's type names (entities, enums, queries, the database class)");
            // A query becomes {Name}Async and Stream{Name}Async on the database class, beside generated members.
            if (GeneratedDatabaseMethods.FirstOrDefault(m => string.Equals(m, name, StringComparison.OrdinalIgnoreCase)) is { } clash)
                _d.Add(SchemaDiagnostics.NameCollision(q.Name.Location, "query", name, $"the generated method {clash}Async", "the database class"));
            if (q.Returns is { Scalar: null, Broken: false })
                Claim(typeScope, q.Name.Location, "query row type", name + "Row", "the schema's type names (entities, enums, queries, the database class)");
        }

        var parameters = new List<QueryParameterModel>();
        var paramScope = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [GeneratedCancellationParameter] = GeneratedCancellationParameter + " (the generated CancellationToken parameter)" };
        foreach (var (pn, pt) in q.Params)
        {
            var ok = CheckIdentifier(pn.Location, "query parameter", pn.Value, typeName: false) &&
                     Claim(paramScope, pn.Location, "parameter", pn.Value, $"query '{name}'");
            var type = ResolveType(pt, TypeContext.Parameter, pn.Value, name);
            if (ok && type is not null)
                parameters.Add(new QueryParameterModel { Name = pn.Value, Type = type, Nullable = pt.Nullable, Location = pn.Location });
        }

        QueryReturns? returns = null;
        if (q.Returns is { Broken: false } r)
        {
            if (r.Scalar is { } st)
            {
                var type = ResolveType(st, TypeContext.Result, "result", name);
                if (type is not null) returns = new QueryReturns { Scalar = type, ScalarNullable = st.Nullable, Location = r.Location };
            }
            else
            {
                var cols = new List<QueryColumnModel>();
                var scope = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [name + "Row"] = name + "Row (the row type itself)" };
                foreach (var (cn, ct) in r.Columns)
                {
                    var ok = CheckIdentifier(cn.Location, "result column", cn.Value, typeName: false) &&
                             Claim(scope, cn.Location, "result column", cn.Value, $"the result of query '{name}'");
                    var type = ResolveType(ct, TypeContext.Result, $"result column '{cn.Value}'", name);
                    if (ok && type is not null) cols.Add(new QueryColumnModel { Name = cn.Value, Type = type, Nullable = ct.Nullable, Location = cn.Location });
                }
                returns = new QueryReturns { Columns = cols, Location = r.Location };
            }
        }

        if (q.Sql is { } sql && !q.ParamsBroken)
        {
            var used = SqlParameterScanner.Find(sql.Value);
            var declared = q.Params.Select(p => p.Name.Value).ToHashSet(StringComparer.Ordinal);
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (pname, offset) in used)
            {
                if (declared.Contains(pname) || !reported.Add(pname)) continue;
                _d.Add(SchemaDiagnostics.UndeclaredQueryParameter(LocateInScalar(file, sql, offset, pname), name, pname, Suggestions.Closest(pname, declared)));
            }
            var usedNames = used.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (pn, _) in q.Params)
            {
                if (!usedNames.Contains(pn.Value)) _d.Add(SchemaDiagnostics.UnusedQueryParameter(pn.Location, name, pn.Value));
            }
        }

        if (q.Sql is null) return null;
        return new QueryModel
        {
            Name = name,
            Sql = sql_(q.Sql),
            Parameters = parameters,
            Returns = returns,
            Comment = q.Comment,
            Location = q.Name.Location,
            SqlLocation = q.Sql.Location,
        };

        static string sql_(YScalar s) => s.Value.TrimEnd('\n', '\r', ' ');
    }

    /// <summary>The source position of the '@name' at <paramref name="offset"/> of a scalar's value (falls back to the scalar).</summary>
    private static SourceLocation LocateInScalar(FileSyntax file, YScalar node, int offset, string name)
    {
        var needle = "@" + name;
        var value = node.Value;
        var occurrence = 0;
        for (var i = value.IndexOf(needle, StringComparison.Ordinal); i >= 0 && i < offset; i = value.IndexOf(needle, i + 1, StringComparison.Ordinal))
            occurrence++;
        var lines = file.Lines;
        var found = 0;
        for (var li = node.Location.Line - 1; li >= 0 && li < lines.Count; li++)
        {
            var line = lines[li];
            var from = li == node.Location.Line - 1 ? Math.Min(line.Length, Math.Max(0, node.Location.Column - 1)) : 0;
            for (var j = line.IndexOf(needle, from, StringComparison.Ordinal); j >= 0; j = line.IndexOf(needle, j + 1, StringComparison.Ordinal))
            {
                if (found++ == occurrence) return new SourceLocation(node.Location.File, li + 1, j + 1);
            }
        }
        return node.Location;
    }
}
