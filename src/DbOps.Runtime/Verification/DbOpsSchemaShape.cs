namespace DbOps.Runtime;

/// <summary>
/// The structure of a database, provider-neutral and in physical names: what the live catalog holds
/// (<see cref="DbOpsSchemaReader"/>) or what the migrations say it should hold (compiled into the application by the
/// build, or built by <c>DbOpsVerify</c> from the snapshot). <see cref="DbOpsSchemaComparer"/> compares two of them.
/// </summary>
/// <param name="Tables">The tables, in any order.</param>
public sealed record DbOpsSchemaShape(IReadOnlyList<DbOpsTableShape> Tables);

/// <summary>One table.</summary>
/// <param name="Name">Physical table name.</param>
/// <param name="Columns">Columns in table order.</param>
/// <param name="PrimaryKey">Primary key columns in key order; empty when there is none.</param>
/// <param name="Uniques">Unique constraints (not unique indexes, which are <paramref name="Indexes"/>).</param>
/// <param name="Indexes">Indexes that do not back a primary key or unique constraint.</param>
/// <param name="ForeignKeys">Foreign keys declared on this table.</param>
/// <param name="Checks">CHECK constraints.</param>
public sealed record DbOpsTableShape(
    string Name,
    IReadOnlyList<DbOpsColumnShape> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<DbOpsUniqueShape> Uniques,
    IReadOnlyList<DbOpsIndexShape> Indexes,
    IReadOnlyList<DbOpsForeignKeyShape> ForeignKeys,
    IReadOnlyList<DbOpsCheckShape> Checks);

/// <summary>One column.</summary>
/// <param name="Name">Physical column name.</param>
/// <param name="Type">Store type with length or precision, as the provider spells it (<c>varchar(200)</c>, <c>numeric(12,2)</c>, <c>TEXT</c>).</param>
/// <param name="Nullable">True when the column accepts NULL.</param>
/// <param name="Default">The default as SQL (literal or expression), or null when there is none. Identity is not a default.</param>
public sealed record DbOpsColumnShape(string Name, string Type, bool Nullable, string? Default);

/// <summary>A unique constraint.</summary>
/// <param name="Name">Constraint name, or null where the database does not keep it (SQLite).</param>
/// <param name="Columns">Columns in key order.</param>
public sealed record DbOpsUniqueShape(string? Name, IReadOnlyList<string> Columns);

/// <summary>An index.</summary>
/// <param name="Name">Index name.</param>
/// <param name="Columns">Columns in index order.</param>
/// <param name="Unique">True for a unique index.</param>
/// <param name="Filter">The partial index's WHERE condition, or null.</param>
public sealed record DbOpsIndexShape(string Name, IReadOnlyList<string> Columns, bool Unique, string? Filter);

/// <summary>A foreign key.</summary>
/// <param name="Name">Constraint name, or null where the database does not keep it (SQLite).</param>
/// <param name="Columns">Columns of this table.</param>
/// <param name="PrincipalTable">The referenced table.</param>
/// <param name="PrincipalColumns">The referenced columns.</param>
/// <param name="OnDelete">The delete rule: <c>CASCADE</c>, <c>RESTRICT</c>, <c>SET NULL</c>, <c>NO ACTION</c> or <c>SET DEFAULT</c>.</param>
public sealed record DbOpsForeignKeyShape(string? Name, IReadOnlyList<string> Columns, string PrincipalTable, IReadOnlyList<string> PrincipalColumns, string OnDelete);

/// <summary>A CHECK constraint.</summary>
/// <param name="Name">Constraint name.</param>
/// <param name="Sql">Its condition.</param>
public sealed record DbOpsCheckShape(string Name, string Sql);
