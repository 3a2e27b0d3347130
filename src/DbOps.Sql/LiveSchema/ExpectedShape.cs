using DbOps.Runtime;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DbOps.Sql.LiveSchema;

/// <summary>
/// The structure a schema gives a database (<see cref="DbOpsSchemaShape"/>), taken from the same EF Core model the create
/// script and the migrations are generated from (<see cref="DbModelFactory.Build"/>): store types, defaults as the SQL
/// the scripts write, keys, indexes, foreign keys and checks under their physical names. The build compiles it into the
/// application (<c>db.VerifySchemaAsync()</c>) and <c>DbOpsVerify</c> compares it, through
/// <see cref="DbOpsSchemaComparer"/>, with what the database's catalog says.
/// </summary>
public static class ExpectedShape
{
    /// <summary>The structure of <paramref name="schema"/> on <paramref name="provider"/>.</summary>
    public static DbOpsSchemaShape Build(SchemaModel schema, DbProvider provider)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var model = DbModelFactory.Build(schema, provider).GetRelationalModel();
        var tables = new List<DbOpsTableShape>();
        foreach (var table in model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var entity = schema.Entities.First(e => e.Table == table.Name);
            // Table order: the schema's column order (the relational model sorts keys first).
            var order = entity.Columns.Select((c, i) => (c.ColumnName, i)).ToDictionary(x => x.ColumnName, x => x.i, StringComparer.Ordinal);
            var columns = table.Columns.OrderBy(c => order.GetValueOrDefault(c.Name, int.MaxValue))
                .Select(c => new DbOpsColumnShape(c.Name, c.StoreType, c.IsNullable, Default(c))).ToList();
            tables.Add(new DbOpsTableShape(
                table.Name,
                columns,
                table.PrimaryKey is { } pk ? [.. pk.Columns.Select(c => c.Name)] : [],
                [.. table.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()).Select(u => new DbOpsUniqueShape(u.Name, [.. u.Columns.Select(c => c.Name)]))],
                [.. table.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => new DbOpsIndexShape(i.Name, [.. i.Columns.Select(c => c.Name)], i.IsUnique, i.Filter))],
                [.. table.ForeignKeyConstraints.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new DbOpsForeignKeyShape(
                    f.Name, [.. f.Columns.Select(c => c.Name)], f.PrincipalTable.Name, [.. f.PrincipalColumns.Select(c => c.Name)], DeleteRule(f.OnDeleteAction)))],
                [.. table.CheckConstraints.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new DbOpsCheckShape(c.Name!, c.Sql))]));
        }
        return new DbOpsSchemaShape(tables);
    }

    private static string? Default(IColumn column)
    {
        if (column.DefaultValueSql is { } sql) return sql;
        return column.DefaultValue is { } value ? column.StoreTypeMapping.GenerateSqlLiteral(value) : null;
    }

    private static string DeleteRule(ReferentialAction action) => action switch
    {
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.Restrict => "RESTRICT",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        _ => "NO ACTION",
    };
}
