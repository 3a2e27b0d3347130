namespace DbOps.Runtime;

/// <summary>A unique key of a table: the physical constraint/index name and its physical columns.</summary>
/// <param name="Name">Physical constraint or index name.</param>
/// <param name="Columns">Physical column names, in key order.</param>
public sealed record DbOpsUniqueKey(string Name, string[] Columns);

/// <summary>
/// Constraint metadata of one table, emitted by the generator, so that provider errors that do not name the
/// constraint (SQLite's <c>UNIQUE constraint failed: t.col</c>, <c>FOREIGN KEY constraint failed</c>) can be mapped to one.
/// </summary>
public sealed class DbOpsTableInfo
{
    /// <summary>Creates the metadata.</summary>
    /// <param name="table">Physical table name.</param>
    /// <param name="uniqueKeys">The primary key first, then every unique constraint/index.</param>
    /// <param name="foreignKeys">Names of the foreign keys declared on this table (violated by insert/update).</param>
    /// <param name="referencedBy">Names of the foreign keys of other tables that reference this one (violated by delete/update).</param>
    public DbOpsTableInfo(string table, DbOpsUniqueKey[] uniqueKeys, string[] foreignKeys, string[] referencedBy)
    {
        Table = table;
        UniqueKeys = uniqueKeys;
        ForeignKeys = foreignKeys;
        ReferencedBy = referencedBy;
    }

    /// <summary>Physical table name.</summary>
    public string Table { get; }
    /// <summary>The primary key first, then every unique constraint/index.</summary>
    public DbOpsUniqueKey[] UniqueKeys { get; }
    /// <summary>Foreign keys declared on this table.</summary>
    public string[] ForeignKeys { get; }
    /// <summary>Foreign keys of other tables that reference this table.</summary>
    public string[] ReferencedBy { get; }
}

/// <summary>What kind of statement failed; decides which foreign keys could have been violated.</summary>
public enum DbOpsStatementKind
{
    /// <summary>INSERT, UPDATE, upsert or bulk insert: this table's own foreign keys.</summary>
    Write,
    /// <summary>DELETE: foreign keys of other tables referencing this one.</summary>
    Delete,
    /// <summary>A named query: nothing is known.</summary>
    Query,
}
