using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DbOps.Schema.Model;
using DbOps.Schema.Snapshot;
using DbOps.Schema.Validation;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Scaffolding.Metadata;

namespace DbOps.Sql.LiveSchema;

/// <summary>What the importer could not carry into <c>dbops.yaml</c>; the engine reports each as a DBOPS40xx warning.</summary>
public enum ImportProblem
{
    /// <summary>A view, trigger, function, procedure, sequence not owned by a column, materialized view.</summary>
    UnsupportedObject,
    /// <summary>A column whose type has no dbops type (arrays, money, xml, geometry, ...): left out.</summary>
    UnsupportedColumn,
    /// <summary>A table without a primary key, or whose name is not a plain SQL name: left out.</summary>
    UnsupportedTable,
    /// <summary>A constraint or index the schema language cannot express (composite foreign key, expression index, ...): left out.</summary>
    UnsupportedConstraint,
    /// <summary>A primary or foreign key whose name differs from the one DbOps derives.</summary>
    NameNotKept,
}

/// <summary>One thing the import left out or could not keep exactly; <see cref="Object"/> names it.</summary>
public sealed record ImportWarning(ImportProblem Problem, string Object, string Detail);

/// <summary>The imported schema: the text of <c>dbops.yaml</c>, the physical tables it declares (the baseline header), and the warnings.</summary>
public sealed record ImportResult(string Yaml, IReadOnlyList<string> Tables, IReadOnlyList<ImportWarning> Warnings);

/// <summary>
/// Turns a live database (EF Core's scaffolding <see cref="DatabaseModel"/> plus <see cref="LiveCatalog"/>) into a
/// <c>dbops.yaml</c> that keeps every physical name: entities and properties are the PascalCase forms of the table and
/// column names (as written, not singularized), <c>naming: snake_case</c> when every name is the snake_case form of its
/// PascalCase name, else <c>naming: exact</c> with <c>table:</c>/<c>column:</c> where they differ; indexes and checks keep
/// their names. Types follow the provider's spelling (SQLite by its affinity rules for declared types).
/// </summary>
public static partial class SchemaImporter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Reads the database on <paramref name="connection"/> and imports it.</summary>
    public static ImportResult Import(DbConnection connection, DbProvider provider, string databaseName)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var live = LiveSchemaReader.Read(connection, provider);
        return Import(live, LiveCatalog.Checks(connection, provider), LiveCatalog.IndexFilters(connection, provider),
            LiveCatalog.OtherObjects(connection, provider), provider, databaseName);
    }

    /// <summary>Imports what was read; <paramref name="filters"/> holds index filters the scaffolding model lacks (SQLite).</summary>
    public static ImportResult Import(DatabaseModel live, IReadOnlyList<LiveCheck> checks, IReadOnlyDictionary<string, string> filters,
        IReadOnlyList<LiveObject> others, DbProvider provider, string databaseName)
    {
        ArgumentNullException.ThrowIfNull(live);
        var warnings = new List<ImportWarning>();
        foreach (var view in live.Tables.OfType<DatabaseView>().OrderBy(v => v.Name, StringComparer.Ordinal))
            warnings.Add(new(ImportProblem.UnsupportedObject, $"view {view.Name}", "views are not part of the schema language"));
        foreach (var o in others)
            warnings.Add(new(ImportProblem.UnsupportedObject, $"{o.Kind} {o.Name}", $"{o.Kind}s are not part of the schema language"));

        // Tables first, so that foreign keys can name the entity of any table.
        var tables = new List<Table>();
        var entityNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { databaseName };
        foreach (var t in live.Tables.Where(t => t is not DatabaseView && !Bookkeeping(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (Identifiers.WhyNotPhysicalName(t.Name) is { } why)
            {
                warnings.Add(new(ImportProblem.UnsupportedTable, $"table {t.Name}", $"its name is not a plain SQL name: {why}"));
                continue;
            }
            if (t.PrimaryKey is null || t.PrimaryKey.Columns.Count == 0)
            {
                warnings.Add(new(ImportProblem.UnsupportedTable, $"table {t.Name}", "it has no primary key (every entity needs one)"));
                continue;
            }
            var table = new Table(t, Unique(entityNames, LogicalName(t.Name, typeName: true)));
            var memberNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
                { table.Entity, "Validate", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize" };
            foreach (var c in t.Columns)
            {
                var what = $"column {t.Name}.{c.Name}";
                if (Identifiers.WhyNotPhysicalName(c.Name) is { } bad)
                {
                    warnings.Add(new(ImportProblem.UnsupportedColumn, what, $"its name is not a plain SQL name: {bad}; left out"));
                    continue;
                }
                if (MapType(c.StoreType ?? "", provider) is not { } type)
                {
                    warnings.Add(new(ImportProblem.UnsupportedColumn, what, $"type {c.StoreType} has no dbops type; left out of dbops.yaml (DbOps never drops it)"));
                    continue;
                }
                if (c.ComputedColumnSql is not null)
                {
                    warnings.Add(new(ImportProblem.UnsupportedColumn, what, "computed columns are not part of the schema language; left out"));
                    continue;
                }
                table.Columns.Add(new Column(c, Unique(memberNames, LogicalName(c.Name, typeName: false)), type));
            }
            var keyColumns = t.PrimaryKey.Columns.Select(k => table.Find(k.Name)).ToList();
            if (keyColumns.Any(k => k is null))
            {
                warnings.Add(new(ImportProblem.UnsupportedTable, $"table {t.Name}", "a primary key column was left out"));
                continue;
            }
            table.Key = [.. keyColumns.OfType<Column>()];
            tables.Add(table);
        }
        var byTable = tables.ToDictionary(t => t.Live.Name, StringComparer.Ordinal);

        foreach (var table in tables) Complete(table, byTable, checks, filters, provider, warnings);

        var naming = tables.All(t => t.Live.Name == Naming.ToSnakeCase(t.Entity) && t.Columns.All(c => c.Live.Name == Naming.ToSnakeCase(c.Name)))
            && tables.Count > 0 ? NamingStyle.SnakeCase : NamingStyle.Exact;
        return new ImportResult(Write(tables, databaseName, provider, naming), [.. tables.Select(t => t.Live.Name)], warnings);
    }

    private static bool Bookkeeping(string table) =>
        table.Equals("__EFMigrationsHistory", StringComparison.OrdinalIgnoreCase) || table.Equals("schemaversions", StringComparison.OrdinalIgnoreCase)
        || table.StartsWith("dbops_", StringComparison.OrdinalIgnoreCase) || table.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase);

    private sealed class Table(DatabaseTable live, string entity)
    {
        public DatabaseTable Live { get; } = live;
        public string Entity { get; } = entity;
        public List<Column> Columns { get; } = [];
        public List<Column> Key { get; set; } = [];
        public List<(string Name, IReadOnlyList<Column> Columns, bool Unique, string? Where)> Indexes { get; } = [];
        public List<(string? Name, string Sql)> Checks { get; } = [];
        public Column? Find(string name) => Columns.FirstOrDefault(c => c.Live.Name == name);
    }

    private sealed class Column(DatabaseColumn live, string name, DbType type)
    {
        public DatabaseColumn Live { get; } = live;
        public string Name { get; } = name;
        public DbType Type { get; set; } = type;
        public bool Identity { get; set; }
        public string? Default { get; set; }
        public string? DefaultSql { get; set; }
        public (Table Table, Column Column, string OnDelete)? References { get; set; }
        public int? MinLength { get; set; }
        public decimal? Min { get; set; }
        public decimal? Max { get; set; }
    }

    private static void Complete(Table table, Dictionary<string, Table> byTable, IReadOnlyList<LiveCheck> checks,
        IReadOnlyDictionary<string, string> filters, DbProvider provider, List<ImportWarning> warnings)
    {
        var t = table.Live;
        var physical = t.Name;
        if (provider != DbProvider.Sqlite && t.PrimaryKey!.Name is { } pkName && pkName != PhysicalNames.PrimaryKey(physical))
            warnings.Add(new(ImportProblem.NameNotKept, $"primary key {pkName} of {physical}",
                $"DbOps names primary keys {PhysicalNames.PrimaryKey(physical)}; a later migration that changes this key refers to that name " +
                $"(rename it: ALTER TABLE {physical} RENAME CONSTRAINT {pkName} TO {PhysicalNames.PrimaryKey(physical)})"));

        var singleKey = table.Key.Count == 1 ? table.Key[0] : null;
        foreach (var c in table.Columns)
        {
            var generated = c.Live.ValueGenerated == ValueGenerated.OnAdd || c.Live.FindAnnotation("Npgsql:ValueGenerationStrategy") is not null
                || c.Live.FindAnnotation("SqlServer:ValueGenerationStrategy") is not null;
            if (generated && c == singleKey && c.Type.IsInteger)
            {
                c.Identity = true;
                continue;
            }
            ImportDefault(c, provider);
        }

        foreach (var fk in t.ForeignKeys)
        {
            var what = $"foreign key {fk.Name ?? "(" + string.Join(", ", fk.Columns.Select(x => x.Name)) + ")"} of {physical}";
            if (fk.Columns.Count != 1)
            {
                warnings.Add(new(ImportProblem.UnsupportedConstraint, what, "a foreign key over several columns cannot be expressed (references: is per column); left out"));
                continue;
            }
            var column = table.Find(fk.Columns[0].Name);
            if (column is null || !byTable.TryGetValue(fk.PrincipalTable.Name, out var principal) || principal.Find(fk.PrincipalColumns[0].Name) is not { } target)
            {
                warnings.Add(new(ImportProblem.UnsupportedConstraint, what, "its column or the referenced table or column was left out; left out"));
                continue;
            }
            if (column.Type != target.Type)
            {
                warnings.Add(new(ImportProblem.UnsupportedConstraint, what,
                    $"{physical}.{column.Live.Name} is {column.Type} but {principal.Live.Name}.{target.Live.Name} is {target.Type}; dbops requires the same type; left out"));
                continue;
            }
            var onDelete = fk.OnDelete switch
            {
                ReferentialAction.Cascade => "cascade",
                ReferentialAction.SetNull => "setNull",
                ReferentialAction.Restrict => "restrict",
                ReferentialAction.SetDefault => null,
                _ => "noAction",
            };
            if (onDelete is null || (onDelete == "setNull" && !column.Live.IsNullable))
            {
                warnings.Add(new(ImportProblem.UnsupportedConstraint, what, $"ON DELETE {fk.OnDelete} cannot be expressed here; left out"));
                continue;
            }
            column.References = (principal, target, onDelete);
            var derived = DbOps.Schema.Validation.Identifiers.ForeignKeyName(physical, column.Live.Name);
            if (provider != DbProvider.Sqlite && fk.Name is { } fkName && fkName != derived)
                warnings.Add(new(ImportProblem.NameNotKept, what,
                    $"DbOps names this foreign key {derived}; a later migration that changes it refers to that name " +
                    $"(rename it: ALTER TABLE {physical} RENAME CONSTRAINT {fkName} TO {derived})"));
        }

        foreach (var u in t.UniqueConstraints)
            AddIndex(table, u.Name is { Length: > 0 } n ? n : Identifiers.IndexName(physical, u.Columns.Select(c => c.Name), unique: true), u.Columns, true, null, warnings);
        foreach (var ix in t.Indexes)
        {
            if (ix.Name is null) continue;
            if (ix.Name.StartsWith("sqlite_autoindex", StringComparison.Ordinal))
            {
                // A UNIQUE constraint in SQLite's CREATE TABLE: SQLite keeps no name, so it gets the one DbOps derives.
                if (ix.IsUnique && ix.Columns.All(c => c is not null))
                    AddIndex(table, Identifiers.IndexName(physical, ix.Columns.Select(c => c!.Name), unique: true), ix.Columns, true, null, warnings);
                continue;
            }
            if (ix.Columns.Any(c => c is null) || ix.Columns.Count == 0)
            {
                warnings.Add(new(ImportProblem.UnsupportedConstraint, $"index {ix.Name} of {physical}", "an index over expressions cannot be expressed; left out"));
                continue;
            }
            AddIndex(table, ix.Name, ix.Columns, ix.IsUnique, ix.Filter ?? filters.GetValueOrDefault(ix.Name), warnings);
        }

        foreach (var check in checks.Where(c => c.Table == physical))
            if (!AsColumnRule(table, check, provider)) table.Checks.Add((check.Name, check.Sql));
    }

    private static void AddIndex(Table table, string name, IList<DatabaseColumn> columns, bool unique, string? where, List<ImportWarning> warnings)
    {
        var cols = columns.Select(c => table.Find(c.Name)).ToList();
        if (cols.Any(c => c is null) || Identifiers.WhyNotPhysicalName(name) is not null)
        {
            warnings.Add(new(ImportProblem.UnsupportedConstraint, $"index {name} of {table.Live.Name}", "a column was left out or the name is not a plain SQL name; left out"));
            return;
        }
        if (table.Indexes.Any(i => i.Name == name)) return;
        // The primary key's own unique index (SQL Server, some PostgreSQL dumps) is the key, not an index.
        if (unique && where is null && cols.SequenceEqual(table.Key)) return;
        table.Indexes.Add((name, cols!, unique, where is null ? null : LiveCatalog.Unwrap(where)));
    }

    [GeneratedRegex(@"^(?:CAST\(\s*)?(?:""(?<c>[^""]+)""|\[(?<c>[^\]]+)\]|`(?<c>[^`]+)`|(?<c>[A-Za-z_][A-Za-z0-9_]*))(?:\s+AS\s+NUMERIC\s*\))?\s*(?<op>>=|<=)\s*\(?(?<n>-?[0-9]+(?:\.[0-9]+)?)\)?(?:::[a-z ]+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Bound();

    [GeneratedRegex(@"^(?<f>length|char_length|len)\(\s*\(?(?:""(?<c>[^""]+)""|\[(?<c>[^\]]+)\]|(?<c>[A-Za-z_][A-Za-z0-9_]*))\)?(?:::text)?\s*\)\s*(?<op>>=|<=)\s*(?<n>[0-9]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex LengthBound();

    /// <summary>
    /// A check that says exactly what DbOps derives from <c>min</c>/<c>max</c>/<c>minLength</c> (or a SQLite string length),
    /// under the name DbOps gives it (SQLite: or no name), becomes that rule.
    /// </summary>
    private static bool AsColumnRule(Table table, LiveCheck check, DbProvider provider)
    {
        var sql = check.Sql.Trim();
        var length = LengthBound().Match(sql);
        var bound = length.Success ? length : Bound().Match(sql);
        if (!bound.Success || table.Find(bound.Groups["c"].Value) is not { } column) return false;
        var op = bound.Groups["op"].Value;
        bool NameIs(string rule) => check.Name is null ? provider == DbProvider.Sqlite
            : check.Name == DbOps.Schema.Validation.Identifiers.ColumnCheckName(table.Live.Name, column.Live.Name, rule);
        if (length.Success)
        {
            if (column.Type.Kind != DbTypeKind.String || !int.TryParse(bound.Groups["n"].Value, Inv, out var n)) return false;
            if (op == ">=" && column.MinLength is null && NameIs("min_length") && (column.Type.Length is null || n <= column.Type.Length))
            {
                column.MinLength = n;
                return true;
            }
            if (op == "<=" && provider == DbProvider.Sqlite && column.Type.Length is null && n >= 1 && NameIs("length") && (column.MinLength ?? 0) <= n)
            {
                column.Type = column.Type with { Length = n };
                return true;
            }
            return false;
        }
        if (!column.Type.IsNumeric || !decimal.TryParse(bound.Groups["n"].Value, NumberStyles.Number, Inv, out var value)) return false;
        if (op == ">=" && column.Min is null && NameIs("min") && (column.Max is null || value <= column.Max))
        {
            column.Min = value;
            return true;
        }
        if (op == "<=" && column.Max is null && NameIs("max") && (column.Min is null || value >= column.Min))
        {
            column.Max = value;
            return true;
        }
        return false;
    }

    [GeneratedRegex(@"^\((?<e>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex Parenthesized();

    [GeneratedRegex(@"::[a-z_ ]+(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingCast();

    [GeneratedRegex(@"^-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberLiteral();

    /// <summary>A literal default becomes <c>default:</c> (when it is a value of the column's type), anything else <c>defaultSql:</c>.</summary>
    private static void ImportDefault(Column c, DbProvider provider)
    {
        var sql = c.Live.DefaultValueSql?.Trim();
        if (string.IsNullOrEmpty(sql) || sql.Equals("NULL", StringComparison.OrdinalIgnoreCase)) return;
        var text = sql;
        for (var changed = true; changed;)
        {
            var before = text;
            text = TrailingCast().Replace(text, "").Trim();
            if (Parenthesized().Match(text) is { Success: true } m && LiveCatalog.Unwrap(text) != text) text = m.Groups["e"].Value.Trim();
            if (provider == DbProvider.SqlServer && text.StartsWith("N'", StringComparison.Ordinal)) text = text[1..];
            changed = text != before;
        }
        string? literal = null;
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'' && !text[1..^1].Replace("''", "").Contains('\''))
            literal = text[1..^1].Replace("''", "'");
        else if (NumberLiteral().IsMatch(text)) literal = text;
        else if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase)) literal = text.ToLowerInvariant();
        if (literal is not null && c.Type.Kind == DbTypeKind.Bool && literal is "1" or "0") literal = literal == "1" ? "true" : "false";
        if (literal is not null && c.Type.Kind != DbTypeKind.Binary && DefaultValues.TryConvert(literal, c.Type, out var value, out _) && value is not null)
        {
            if (c.Type.Kind == DbTypeKind.String && c.Type.Length is { } max && literal.Length > max) { c.DefaultSql = sql; return; }
            c.Default = SnapshotWriter.DefaultText(value);
            return;
        }
        c.DefaultSql = sql;
    }

    [GeneratedRegex(@"^(?<name>[a-z][a-z0-9 ]*?)\s*(?:\(\s*(?<a>\d+|max)\s*(?:,\s*(?<b>\d+)\s*)?\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex TypeSyntax();

    /// <summary>The dbops type of a live column type, or null when there is none.</summary>
    public static DbType? MapType(string storeType, DbProvider provider)
    {
        var m = TypeSyntax().Match(storeType.Trim());
        if (!m.Success) return provider == DbProvider.Sqlite ? SqliteAffinity(storeType) : null;
        var name = Regex.Replace(m.Groups["name"].Value.Trim().ToLowerInvariant(), @"\s+", " ");
        int? a = m.Groups["a"].Success && m.Groups["a"].Value != "max" ? int.Parse(m.Groups["a"].Value, Inv) : null;
        int? b = m.Groups["b"].Success ? int.Parse(m.Groups["b"].Value, Inv) : null;
        DbType? exact = name switch
        {
            "bool" or "boolean" or "bit" => new DbType(DbTypeKind.Bool),
            "smallint" or "int2" or "tinyint" => new DbType(DbTypeKind.Int16),
            "int" or "integer" or "int4" or "mediumint" => provider == DbProvider.Sqlite && name == "integer" ? new DbType(DbTypeKind.Int64) : new DbType(DbTypeKind.Int32),
            "bigint" or "int8" => new DbType(DbTypeKind.Int64),
            "real" or "float4" => provider == DbProvider.PostgreSql || provider == DbProvider.SqlServer ? new DbType(DbTypeKind.Float32) : new DbType(DbTypeKind.Float64),
            "double precision" or "float8" or "float" or "double" => new DbType(DbTypeKind.Float64),
            "numeric" or "decimal" => new DbType(DbTypeKind.Decimal, Precision: a, Scale: a is null ? null : b ?? 0),
            "varchar" or "character varying" or "nvarchar" or "nchar" or "char" or "character" or "varying character" or "native character"
                => new DbType(DbTypeKind.String, Length: a),
            "text" or "clob" or "ntext" => new DbType(DbTypeKind.String),
            "uuid" or "uniqueidentifier" or "guid" => new DbType(DbTypeKind.Guid),
            "bytea" or "blob" => new DbType(DbTypeKind.Binary),
            "varbinary" or "binary" => new DbType(DbTypeKind.Binary, Length: a),
            "json" or "jsonb" => new DbType(DbTypeKind.Json),
            "date" => new DbType(DbTypeKind.Date),
            "time" or "time without time zone" => new DbType(DbTypeKind.Time),
            "timestamp" or "timestamp without time zone" or "datetime" or "datetime2" => new DbType(DbTypeKind.DateTime),
            "timestamptz" or "timestamp with time zone" or "datetimeoffset" => new DbType(DbTypeKind.DateTimeOffset),
            _ => null,
        };
        if (exact is not null && (exact.Length is null or > 0) && (exact.Precision is null or (>= 1 and <= 38)) && (exact.Scale is null || exact.Scale <= exact.Precision))
            return exact;
        return provider == DbProvider.Sqlite ? SqliteAffinity(storeType) : null;
    }

    /// <summary>SQLite's rules for a declared type it does not know by name (https://sqlite.org/datatype3.html §3.1).</summary>
    private static DbType SqliteAffinity(string storeType)
    {
        var t = storeType.ToUpperInvariant();
        if (t.Contains("INT", StringComparison.Ordinal)) return new DbType(DbTypeKind.Int64);
        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal))
            return new DbType(DbTypeKind.String);
        if (t.Length == 0 || t.Contains("BLOB", StringComparison.Ordinal)) return new DbType(DbTypeKind.Binary);
        if (t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal) || t.Contains("DOUB", StringComparison.Ordinal))
            return new DbType(DbTypeKind.Float64);
        return new DbType(DbTypeKind.Decimal);
    }

    /// <summary>invoice_line, InvoiceLine, invoiceLine → InvoiceLine; a leading digit gets a leading '_'... and keywords get a suffix.</summary>
    public static string LogicalName(string physical, bool typeName)
    {
        var sb = new StringBuilder(physical.Length);
        var upper = true;
        foreach (var ch in physical)
        {
            if (!char.IsLetterOrDigit(ch)) { upper = true; continue; }
            sb.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }
        var name = sb.Length == 0 ? "Unnamed" : sb.ToString();
        if (char.IsDigit(name[0])) name = (typeName ? "T" : "C") + name;
        if (Identifiers.IsKeyword(name, typeName) || (typeName && Identifiers.ShadowsGeneratedCodeType(name))) name += typeName ? "Entity" : "Value";
        return name;
    }

    private static string Unique(HashSet<string> taken, string name)
    {
        if (taken.Add(name)) return name;
        for (var i = 2; ; i++)
            if (taken.Add(name + i.ToString(Inv))) return name + i.ToString(Inv);
    }

    private static string Write(List<Table> tables, string databaseName, DbProvider provider, NamingStyle naming)
    {
        var w = new StringBuilder();
        w.Append("# imported from a live database by DbOpsImport; edit freely, then add migrations as usual\n");
        w.Append("dbops: 1\n");
        w.Append("name: ").Append(SnapshotWriter.Scalar(databaseName)).Append('\n');
        w.Append("provider: ").Append(DbProviders.Name(provider)).Append('\n');
        w.Append("naming: ").Append(naming == NamingStyle.SnakeCase ? "snake_case" : "exact").Append('\n');
        w.Append("entities:");
        if (tables.Count == 0) w.Append(" {}");
        w.Append('\n');
        foreach (var t in tables)
        {
            w.Append("  ").Append(t.Entity).Append(":\n");
            if (Naming.Apply(naming, t.Entity) != t.Live.Name) w.Append("    table: ").Append(SnapshotWriter.Scalar(t.Live.Name)).Append('\n');
            // Entity names are the table names as written; a name that is already plural keeps it for the repository.
            if (Naming.Pluralize(t.Entity) != t.Entity && t.Entity.EndsWith('s')) w.Append("    plural: ").Append(t.Entity).Append('\n');
            if (t.Key.Count > 1) w.Append("    primaryKey: [").Append(string.Join(", ", t.Key.Select(k => k.Name))).Append("]\n");
            w.Append("    columns:\n");
            foreach (var c in t.Columns)
            {
                const string p = "        ";
                w.Append("      ").Append(c.Name).Append(":\n");
                if (Naming.Apply(naming, c.Name) != c.Live.Name) w.Append(p).Append("column: ").Append(SnapshotWriter.Scalar(c.Live.Name)).Append('\n');
                var type = c.Type.ToString();
                w.Append(p).Append("type: ").Append(type.Contains(',') ? "'" + type + "'" : type).Append('\n');
                if (c.Live.IsNullable) w.Append(p).Append("nullable: true\n");
                if (t.Key.Count == 1 && t.Key[0] == c) w.Append(p).Append("primaryKey: true\n");
                if (c.Identity) w.Append(p).Append("identity: true\n");
                if (c.Default is not null) w.Append(p).Append("default: ").Append(c.Default).Append('\n');
                if (c.DefaultSql is not null) w.Append(p).Append("defaultSql: ").Append(SnapshotWriter.Quoted(c.DefaultSql)).Append('\n');
                if (c.References is { } r)
                {
                    w.Append(p).Append("references: ").Append(r.Table.Entity).Append('.').Append(r.Column.Name).Append('\n');
                    w.Append(p).Append("onDelete: ").Append(r.OnDelete).Append('\n');
                }
                if (c.MinLength is { } minLength) w.Append(p).Append("minLength: ").Append(minLength.ToString(Inv)).Append('\n');
                if (c.Min is { } min) w.Append(p).Append("min: ").Append(min.ToString(Inv)).Append('\n');
                if (c.Max is { } max) w.Append(p).Append("max: ").Append(max.ToString(Inv)).Append('\n');
                if (c.Live.Comment is { Length: > 0 } comment) w.Append(p).Append("comment: ").Append(SnapshotWriter.Quoted(comment)).Append('\n');
            }
            if (t.Indexes.Count > 0)
            {
                w.Append("    indexes:\n");
                foreach (var (name, columns, unique, where) in t.Indexes)
                {
                    w.Append("      - name: ").Append(SnapshotWriter.Scalar(name)).Append('\n');
                    w.Append("        columns: [").Append(string.Join(", ", columns.Select(c => c.Name))).Append("]\n");
                    if (unique) w.Append("        unique: true\n");
                    if (where is not null) w.Append("        where: ").Append(SnapshotWriter.Quoted(where)).Append('\n');
                }
            }
            if (t.Checks.Count > 0)
            {
                w.Append("    checks:\n");
                foreach (var (name, sql) in t.Checks)
                {
                    w.Append("      - ");
                    if (name is not null) w.Append("name: ").Append(SnapshotWriter.Scalar(name)).Append("\n        ");
                    w.Append("sql: ").Append(SnapshotWriter.Quoted(sql)).Append('\n');
                }
            }
        }
        return w.ToString();
    }
}
