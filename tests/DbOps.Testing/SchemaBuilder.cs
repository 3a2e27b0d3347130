using System.Text.RegularExpressions;
using DbOps.Schema.Model;

namespace DbOps.Testing;

/// <summary>
/// Builds <see cref="SchemaModel"/> objects in C# the way the YAML front end would: physical names from the naming
/// style, <c>fk_{table}_{column}</c> constraint names, <c>ix_/ux_{table}_{columns}</c> index names, a unique index for
/// every <c>unique: true</c> column.
/// </summary>
public sealed class SchemaBuilder(string name = "AppDb", NamingStyle naming = NamingStyle.SnakeCase, DbProvider provider = DbProvider.Sqlite)
{
    private readonly List<QueryModel> _queries = [];

    /// <summary>A named query; <paramref name="returns"/> null = affected rows, a single type = scalar, else columns.</summary>
    public SchemaBuilder Query(string queryName, string sql, (string Name, string Type)[]? parameters = null, string? scalar = null,
        (string Name, string Type)[]? columns = null)
    {
        QueryReturns? returns = null;
        if (scalar is not null)
            returns = new QueryReturns { Scalar = Type(scalar.TrimEnd('?')), ScalarNullable = scalar.EndsWith('?') };
        else if (columns is not null)
            returns = new QueryReturns
            {
                Columns = [.. columns.Select(c => new QueryColumnModel { Name = c.Name, Type = Type(c.Type.TrimEnd('?')), Nullable = c.Type.EndsWith('?') })],
            };
        _queries.Add(new QueryModel
        {
            Name = queryName,
            Sql = sql,
            Parameters = [.. (parameters ?? []).Select(p => new QueryParameterModel { Name = p.Name, Type = Type(p.Type.TrimEnd('?')), Nullable = p.Type.EndsWith('?') })],
            Returns = returns,
        });
        return this;
    }

    private readonly List<EnumModel> _enums = [];
    private readonly List<EntityBuilder> _entities = [];

    public SchemaBuilder Enum(string enumName, params string[] members)
    {
        _enums.Add(new EnumModel { Name = enumName, Members = members });
        return this;
    }

    public SchemaBuilder Entity(string entityName, Action<EntityBuilder> configure)
    {
        var e = new EntityBuilder(this, entityName);
        configure(e);
        _entities.Add(e);
        return this;
    }

    internal string Physical(string logical) => Naming.Apply(naming, logical);

    /// <summary>Parses a dbops type spelling: <c>int64</c>, <c>string(320)</c>, <c>decimal(12,2)</c>, an enum name.</summary>
    public DbType Type(string spelling)
    {
        var m = Regex.Match(spelling, @"^(\w+)(?:\((\d+)(?:,(\d+))?\))?$");
        if (!m.Success) throw new ArgumentException(spelling);
        int? a = m.Groups[2].Success ? int.Parse(m.Groups[2].Value) : null;
        int? b = m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : null;
        return m.Groups[1].Value switch
        {
            "bool" => new DbType(DbTypeKind.Bool),
            "int16" => new DbType(DbTypeKind.Int16),
            "int32" => new DbType(DbTypeKind.Int32),
            "int64" => new DbType(DbTypeKind.Int64),
            "float32" => new DbType(DbTypeKind.Float32),
            "float64" => new DbType(DbTypeKind.Float64),
            "decimal" => new DbType(DbTypeKind.Decimal, Precision: a, Scale: a is null ? null : b ?? 0),
            "string" => new DbType(DbTypeKind.String, Length: a),
            "binary" => new DbType(DbTypeKind.Binary, Length: a),
            "guid" => new DbType(DbTypeKind.Guid),
            "date" => new DbType(DbTypeKind.Date),
            "time" => new DbType(DbTypeKind.Time),
            "datetime" => new DbType(DbTypeKind.DateTime),
            "datetimeoffset" => new DbType(DbTypeKind.DateTimeOffset),
            "json" => new DbType(DbTypeKind.Json),
            var enumName when _enums.Any(e => e.Name == enumName) => new DbType(DbTypeKind.Enum, EnumName: enumName),
            var other => throw new ArgumentException($"unknown type {other}"),
        };
    }

    public SchemaModel Build()
    {
        var entities = _entities.Select(e => e.Build()).ToList();
        return new SchemaModel
        {
            Name = name,
            Naming = naming,
            Provider = provider,
            Queries = _queries,
            Enums = _enums,
            Entities = entities,
        };
    }

    internal EntityBuilder? FindEntity(string entityName) => _entities.FirstOrDefault(e => e.Name == entityName);

    public sealed class EntityBuilder(SchemaBuilder schema, string entityName)
    {
        private readonly List<ColumnBuilder> _columns = [];
        private readonly List<IndexModel> _indexes = [];
        private readonly List<CheckModel> _checks = [];
        private string? _table;
        private string? _comment;
        private List<string>? _primaryKey;

        public string Name => entityName;
        public string TableName => _table ?? schema.Physical(entityName);

        public EntityBuilder Table(string table) { _table = table; return this; }
        public EntityBuilder Comment(string comment) { _comment = comment; return this; }
        public EntityBuilder PrimaryKey(params string[] columns) { _primaryKey = [.. columns]; return this; }

        /// <summary>A column; <paramref name="type"/> may end in <c>?</c> for nullable.</summary>
        public EntityBuilder Column(string columnName, string type, Action<ColumnBuilder>? configure = null)
        {
            var c = new ColumnBuilder(schema, this, columnName, type);
            configure?.Invoke(c);
            _columns.Add(c);
            return this;
        }

        public EntityBuilder Index(params string[] columns) => AddIndex(columns, unique: false, null, null);
        public EntityBuilder UniqueIndex(params string[] columns) => AddIndex(columns, unique: true, null, null);

        public EntityBuilder AddIndex(string[] columns, bool unique, string? where, string? indexName)
        {
            _indexes.Add(new IndexModel
            {
                Name = indexName ?? $"{(unique ? "ux" : "ix")}_{TableName}_{string.Join("_", columns.Select(ColumnName))}",
                Columns = columns,
                Unique = unique,
                Where = where,
            });
            return this;
        }

        public EntityBuilder Check(string checkName, string sql)
        {
            _checks.Add(new CheckModel { Name = checkName, Sql = sql });
            return this;
        }

        internal string ColumnName(string logical) =>
            _columns.FirstOrDefault(c => c.Name == logical)?.PhysicalName ?? schema.Physical(logical);

        internal ColumnBuilder? FindColumn(string logical) => _columns.FirstOrDefault(c => c.Name == logical);

        internal IReadOnlyList<string> PrimaryKeyColumns =>
            _primaryKey ?? [.. _columns.Where(c => c.IsPrimaryKey).Select(c => c.Name)];

        public EntityModel Build()
        {
            var columns = _columns.Select(c => c.Build()).ToList();
            var indexes = new List<IndexModel>();
            foreach (var c in columns.Where(c => c.Unique))
                indexes.Add(new IndexModel { Name = $"ux_{TableName}_{c.ColumnName}", Columns = [c.Name], Unique = true, FromColumn = true });
            indexes.AddRange(_indexes);
            return new EntityModel
            {
                Name = entityName,
                Table = TableName,
                Plural = Naming.Pluralize(entityName),
                Columns = columns,
                PrimaryKey = PrimaryKeyColumns,
                Indexes = indexes,
                Checks = _checks,
                Comment = _comment,
            };
        }
    }

    public sealed class ColumnBuilder(SchemaBuilder schema, EntityBuilder entity, string columnName, string type)
    {
        private string? _physical;
        private bool _identity, _unique;
        private object? _default;
        private string? _defaultSql, _comment, _pattern;
        private (string Entity, string? Column, OnDeleteAction OnDelete)? _references;
        private int? _minLength;
        private decimal? _min, _max;

        public string Name => columnName;
        public bool IsPrimaryKey { get; private set; }
        public string PhysicalName => _physical ?? schema.Physical(columnName);

        public ColumnBuilder Named(string physical) { _physical = physical; return this; }
        public ColumnBuilder PrimaryKey() { IsPrimaryKey = true; return this; }
        public ColumnBuilder Identity() { _identity = true; return this; }
        public ColumnBuilder Unique() { _unique = true; return this; }
        public ColumnBuilder Default(object value) { _default = value; return this; }
        public ColumnBuilder DefaultSql(string sql) { _defaultSql = sql; return this; }
        public ColumnBuilder Comment(string comment) { _comment = comment; return this; }
        public ColumnBuilder Pattern(string pattern) { _pattern = pattern; return this; }
        public ColumnBuilder MinLength(int n) { _minLength = n; return this; }
        public ColumnBuilder Min(decimal n) { _min = n; return this; }
        public ColumnBuilder Max(decimal n) { _max = n; return this; }

        /// <summary><c>references: Entity</c> or <c>Entity.Column</c>, with <c>onDelete</c>.</summary>
        public ColumnBuilder References(string target, OnDeleteAction onDelete = OnDeleteAction.NoAction)
        {
            var parts = target.Split('.');
            _references = (parts[0], parts.Length > 1 ? parts[1] : null, onDelete);
            return this;
        }

        public ColumnModel Build()
        {
            var nullable = type.EndsWith('?');
            ForeignKeyModel? fk = null;
            if (_references is var (targetEntity, targetColumn, onDelete))
            {
                var principal = schema.FindEntity(targetEntity) ?? throw new InvalidOperationException($"declare {targetEntity} first");
                fk = new ForeignKeyModel
                {
                    Entity = targetEntity,
                    Column = targetColumn ?? principal.PrimaryKeyColumns.Single(),
                    OnDelete = onDelete,
                    ConstraintName = $"fk_{entity.TableName}_{PhysicalName}",
                };
            }
            return new ColumnModel
            {
                Name = columnName,
                ColumnName = PhysicalName,
                Type = schema.Type(type.TrimEnd('?')),
                Nullable = nullable,
                Identity = _identity,
                Unique = _unique,
                Default = _default,
                DefaultSql = _defaultSql,
                References = fk,
                MinLength = _minLength,
                Min = _min,
                Max = _max,
                Pattern = _pattern,
                Comment = _comment,
            };
        }
    }
}
