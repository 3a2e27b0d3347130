using System.Data.Common;

namespace DbOps.Runtime;

/// <summary>
/// Reads a SQL Server database's structure (the <c>dbo</c> schema) from the <c>sys</c> catalog views: five queries
/// whatever the number of tables. Compiled and unit-tested only: there is no SQL Server to test it against here.
/// </summary>
public sealed class SqlServerSchemaReader : DbOpsSchemaReader
{
    /// <summary>The one instance.</summary>
    public static SqlServerSchemaReader Instance { get; } = new();

    private SqlServerSchemaReader()
    {
    }

    private const string Tables = "SELECT t.name FROM sys.tables t WHERE SCHEMA_NAME(t.schema_id) = 'dbo' AND t.is_ms_shipped = 0";

    // The type as DbOps writes it: nvarchar(200), nvarchar(max), decimal(12,2), datetime2, varbinary(max), ...
    private const string Columns_ = """
        SELECT t.name, c.name,
               CASE WHEN ty.name IN ('nvarchar', 'nchar') THEN ty.name + '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length / 2 AS varchar(10)) END + ')'
                    WHEN ty.name IN ('varchar', 'char', 'varbinary', 'binary') THEN ty.name + '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length AS varchar(10)) END + ')'
                    WHEN ty.name IN ('decimal', 'numeric') THEN ty.name + '(' + CAST(c.precision AS varchar(10)) + ',' + CAST(c.scale AS varchar(10)) + ')'
                    WHEN ty.name IN ('datetime2', 'datetimeoffset', 'time') AND c.scale <> 7 THEN ty.name + '(' + CAST(c.scale AS varchar(10)) + ')'
                    ELSE ty.name END,
               c.is_nullable, dc.definition
        FROM sys.columns c
        JOIN sys.tables t ON t.object_id = c.object_id
        JOIN sys.types ty ON ty.user_type_id = c.user_type_id
        LEFT JOIN sys.default_constraints dc ON dc.object_id = c.default_object_id
        WHERE SCHEMA_NAME(t.schema_id) = 'dbo' AND t.is_ms_shipped = 0
        ORDER BY t.name, c.column_id
        """;

    // Primary keys and unique constraints (is_primary_key / is_unique_constraint) and plain indexes, with their key columns.
    private const string Indexes = """
        SELECT t.name, i.name, i.is_primary_key, i.is_unique_constraint, i.is_unique, i.filter_definition, c.name
        FROM sys.indexes i
        JOIN sys.tables t ON t.object_id = i.object_id
        JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.is_included_column = 0
        JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
        WHERE SCHEMA_NAME(t.schema_id) = 'dbo' AND t.is_ms_shipped = 0 AND i.type > 0 AND i.is_hypothetical = 0
        ORDER BY t.name, i.name, ic.key_ordinal
        """;

    private const string ForeignKeys = """
        SELECT t.name, fk.name, pc.name, rt.name, rc.name, fk.delete_referential_action_desc
        FROM sys.foreign_keys fk
        JOIN sys.tables t ON t.object_id = fk.parent_object_id
        JOIN sys.tables rt ON rt.object_id = fk.referenced_object_id
        JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id
        JOIN sys.columns pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
        JOIN sys.columns rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
        WHERE SCHEMA_NAME(t.schema_id) = 'dbo'
        ORDER BY t.name, fk.name, fkc.constraint_column_id
        """;

    private const string Checks = """
        SELECT t.name, cc.name, cc.definition
        FROM sys.check_constraints cc JOIN sys.tables t ON t.object_id = cc.parent_object_id
        WHERE SCHEMA_NAME(t.schema_id) = 'dbo'
        ORDER BY t.name, cc.name
        """;

    /// <inheritdoc />
    public override async Task<DbOpsSchemaShape> ReadAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = await TablesAsync(connection, Tables, Columns_, cancellationToken).ConfigureAwait(false);
        TableParts? Of(object? table) => Part(tables, table);

        foreach (var g in (await QueryAsync(connection, Indexes, null, cancellationToken).ConfigureAwait(false)).GroupBy(r => ((string)r[0]!, (string)r[1]!)))
        {
            if (Of(g.Key.Item1) is not { } p) continue;
            var first = g.First();
            var cols = g.Select(r => (string)r[6]!).ToList();
            if ((bool)first[2]!) p.PrimaryKey = cols;
            else if ((bool)first[3]!) p.Uniques.Add(new DbOpsUniqueShape(g.Key.Item2, cols));
            else p.Indexes.Add(new DbOpsIndexShape(g.Key.Item2, cols, (bool)first[4]!, first[5] as string));
        }
        foreach (var g in (await QueryAsync(connection, ForeignKeys, null, cancellationToken).ConfigureAwait(false)).GroupBy(r => ((string)r[0]!, (string)r[1]!)))
        {
            var rows = g.ToList();
            Of(g.Key.Item1)?.ForeignKeys.Add(new DbOpsForeignKeyShape(g.Key.Item2, [.. rows.Select(r => (string)r[2]!)], (string)rows[0][3]!,
                [.. rows.Select(r => (string)r[4]!)], DeleteRule((string)rows[0][5]!)));
        }
        foreach (var r in await QueryAsync(connection, Checks, null, cancellationToken).ConfigureAwait(false))
            Of(r[0])?.Checks.Add(new DbOpsCheckShape((string)r[1]!, (string)r[2]!));

        return Shape(tables);
    }

    /// <inheritdoc />
    public override string Quote(string name) => "[" + name.Replace("]", "]]", StringComparison.Ordinal) + "]";

    /// <inheritdoc />
    /// <remarks>SQL Server spells the same types several ways: <c>datetime2(7)</c> = <c>datetime2</c>, <c>numeric</c> = <c>decimal</c>.</remarks>
    public override string NormalizeType(string type)
    {
        var t = base.NormalizeType(type);
        if (t.StartsWith("numeric", StringComparison.Ordinal)) t = "decimal" + t["numeric".Length..];
        return t switch
        {
            "datetime2(7)" => "datetime2",
            "datetimeoffset(7)" => "datetimeoffset",
            "time(7)" => "time",
            _ => t,
        };
    }

    /// <inheritdoc />
    /// <remarks>SQL Server stores <c>CURRENT_TIMESTAMP</c> as <c>(getdate())</c>.</remarks>
    public override string? NormalizeDefault(string? sql)
    {
        var d = base.NormalizeDefault(sql);
        return d == "getdate" ? "current_timestamp" : d;
    }

    /// <inheritdoc />
    public override string? DropIndex(string table, string index) => $"DROP INDEX {Quote(index)} ON {Quote(table)};";

    /// <inheritdoc />
    public override string? AlterColumnType(string table, DbOpsColumnShape expected) =>
        $"ALTER TABLE {Quote(table)} ALTER COLUMN {Quote(expected.Name)} {expected.Type} {(expected.Nullable ? "NULL" : "NOT NULL")};";

    /// <inheritdoc />
    public override string? AlterColumnNullability(string table, DbOpsColumnShape expected) => AlterColumnType(table, expected);

    /// <inheritdoc />
    /// <remarks>SQL Server keeps a default as a named constraint: drop it by its name (<c>sys.default_constraints</c>), then add the expected one.</remarks>
    public override string? AlterColumnDefault(string table, DbOpsColumnShape expected) => expected.Default is null
        ? null
        : $"ALTER TABLE {Quote(table)} ADD DEFAULT {expected.Default} FOR {Quote(expected.Name)};";
}
