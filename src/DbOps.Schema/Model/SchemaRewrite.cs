namespace DbOps.Schema.Model;

/// <summary>
/// Copies of schema models with names or parts changed: the migration planner's intermediate models and the query
/// checker's provider-neutral copy. Queries are not carried over (the copies are for DDL).
/// </summary>
public static class SchemaRewrite
{
    public static SchemaModel With(SchemaModel s, IReadOnlyList<EntityModel> entities) => new()
    {
        Name = s.Name,
        Namespace = s.Namespace,
        Provider = s.Provider,
        Naming = s.Naming,
        Enums = s.Enums,
        Entities = entities,
        Queries = [],
        Location = s.Location,
    };

    public static EntityModel Entity(EntityModel e, string? name = null, string? table = null, IReadOnlyList<ColumnModel>? columns = null,
        IReadOnlyList<string>? primaryKey = null, IReadOnlyList<IndexModel>? indexes = null, IReadOnlyList<CheckModel>? checks = null) => new()
    {
        Name = name ?? e.Name,
        Table = table ?? e.Table,
        Plural = e.Plural,
        Columns = columns ?? e.Columns,
        PrimaryKey = primaryKey ?? e.PrimaryKey,
        Indexes = indexes ?? e.Indexes,
        Checks = checks ?? e.Checks,
        RenamedFrom = e.RenamedFrom,
        Comment = e.Comment,
        Deprecated = e.Deprecated,
        Location = e.Location,
    };

    public static ColumnModel Column(ColumnModel c, string? name = null, string? columnName = null, bool? unique = null,
        ForeignKeyModel? references = null, bool dropReference = false, bool dropDefaultSql = false) => new()
    {
        Name = name ?? c.Name,
        ColumnName = columnName ?? c.ColumnName,
        Type = c.Type,
        Nullable = c.Nullable,
        Identity = c.Identity,
        Unique = unique ?? c.Unique,
        Default = c.Default,
        DefaultSql = dropDefaultSql ? null : c.DefaultSql,
        References = dropReference ? null : references ?? c.References,
        MinLength = c.MinLength,
        Min = c.Min,
        Max = c.Max,
        Pattern = c.Pattern,
        RenamedFrom = c.RenamedFrom,
        Comment = c.Comment,
        Deprecated = c.Deprecated,
        Location = c.Location,
    };

    public static ForeignKeyModel Fk(ForeignKeyModel f, string entity, string column) => new()
    {
        Entity = entity,
        Column = column,
        OnDelete = f.OnDelete,
        ConstraintName = f.ConstraintName,
        Location = f.Location,
    };

    public static IndexModel Index(IndexModel i, IReadOnlyList<string>? columns = null, bool dropWhere = false) => new()
    {
        Name = i.Name,
        Columns = columns ?? i.Columns,
        Unique = i.Unique,
        Where = dropWhere ? null : i.Where,
        FromColumn = i.FromColumn,
        Location = i.Location,
    };
}
