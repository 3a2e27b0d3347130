using System.Text.RegularExpressions;
using DbOps.Schema.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Scaffolding.Metadata;

namespace DbOps.Sql.LiveSchema;

/// <summary>
/// Compares a live database (<see cref="LiveSchemaReader"/>) with what a schema says it should be: the tables,
/// columns (store type, nullability), primary keys, foreign keys (columns, principal, ON DELETE), unique constraints and
/// indexes (name, columns, uniqueness) of <see cref="DbModelFactory.Build"/>'s model.
/// </summary>
/// <remarks>
/// Not compared: column order (ADD COLUMN appends), defaults, CHECK constraints and comments (the scaffolders do not read
/// them all), constraint names of primary and foreign keys (SQLite does not keep them), index filters.
/// Type names are normalized per provider (PostgreSQL <c>character varying(n)</c> = <c>varchar(n)</c>,
/// <c>timestamp with time zone</c> = <c>timestamptz</c>, ...; SQLite case-insensitively).
/// Bookkeeping tables are ignored: <c>__EFMigrationsHistory</c>, DbUp's <c>schemaversions</c>, anything starting with <c>dbops_</c>.
/// </remarks>
public static partial class LiveSchemaComparer
{
    public static IReadOnlyList<string> Compare(DatabaseModel live, SchemaModel expected, DbProvider provider)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(expected);
        var model = DbModelFactory.Build(expected, provider).GetRelationalModel();
        var result = new List<string>();
        var liveTables = live.Tables.Where(t => !Ignored(t.Name)).ToDictionary(t => t.Name, StringComparer.Ordinal);

        foreach (var table in model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (!liveTables.Remove(table.Name, out var lt))
            {
                result.Add($"table {table.Name} is missing");
                continue;
            }
            var liveColumns = lt.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
            foreach (var column in table.Columns)
            {
                if (!liveColumns.Remove(column.Name, out var lc))
                {
                    result.Add($"column {table.Name}.{column.Name} is missing");
                    continue;
                }
                var (e, l) = (NormalizeType(column.StoreType, provider), NormalizeType(lc.StoreType ?? "", provider));
                if (e != l) result.Add($"column {table.Name}.{column.Name} is {l}, expected {e}");
                if (column.IsNullable != lc.IsNullable)
                    result.Add($"column {table.Name}.{column.Name} is {(lc.IsNullable ? "nullable" : "NOT NULL")}, expected {(column.IsNullable ? "nullable" : "NOT NULL")}");
            }
            foreach (var extra in liveColumns.Keys.Order(StringComparer.Ordinal)) result.Add($"column {table.Name}.{extra} is not in the schema");

            var pk = table.PrimaryKey is { } k ? Cols(k.Columns.Select(c => c.Name)) : "";
            var livePk = lt.PrimaryKey is { } lk ? Cols(lk.Columns.Select(c => c.Name)) : "";
            if (pk != livePk) result.Add($"primary key of {table.Name} is ({livePk}), expected ({pk})");

            Set(result, $"foreign keys of {table.Name}",
                table.ForeignKeyConstraints.Select(f => $"({Cols(f.Columns.Select(c => c.Name))}) -> {f.PrincipalTable.Name}({Cols(f.PrincipalColumns.Select(c => c.Name))}) on delete {f.OnDeleteAction}"),
                lt.ForeignKeys.Select(f => $"({Cols(f.Columns.Select(c => c.Name))}) -> {f.PrincipalTable.Name}({Cols(f.PrincipalColumns.Select(c => c.Name))}) on delete {f.OnDelete ?? ReferentialAction.NoAction}"));
            Set(result, $"unique constraints of {table.Name}",
                table.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()).Select(u => Cols(u.Columns.Select(c => c.Name))),
                lt.UniqueConstraints.Select(u => Cols(u.Columns.Select(c => c.Name))));
            Set(result, $"indexes of {table.Name}",
                table.Indexes.Select(i => $"{i.Name}({Cols(i.Columns.Select(c => c.Name))}){(i.IsUnique ? " unique" : "")}"),
                lt.Indexes.Where(i => !i.Name!.StartsWith("sqlite_autoindex", StringComparison.Ordinal))
                    .Select(i => $"{i.Name}({Cols(i.Columns.Select(c => c.Name))}){(i.IsUnique ? " unique" : "")}"));
        }
        foreach (var extra in liveTables.Keys.Order(StringComparer.Ordinal)) result.Add($"table {extra} is not in the schema");
        return result;
    }

    private static bool Ignored(string table) =>
        table.Equals("__EFMigrationsHistory", StringComparison.OrdinalIgnoreCase) || table.Equals("schemaversions", StringComparison.OrdinalIgnoreCase)
        || table.StartsWith("dbops_", StringComparison.OrdinalIgnoreCase) || table.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase);

    private static string Cols(IEnumerable<string> columns) => string.Join(", ", columns);

    private static void Set(List<string> result, string what, IEnumerable<string> expected, IEnumerable<string> live)
    {
        var e = expected.Order(StringComparer.Ordinal).ToList();
        var l = live.Order(StringComparer.Ordinal).ToList();
        foreach (var missing in e.Except(l)) result.Add($"{what}: {missing} is missing");
        foreach (var extra in l.Except(e)) result.Add($"{what}: {extra} is not in the schema");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>One spelling per type: lower case, single spaces, PostgreSQL long names shortened to the SPEC's.</summary>
    public static string NormalizeType(string type, DbProvider provider)
    {
        var t = Spaces().Replace(type.Trim().ToLowerInvariant(), " ").Replace(" (", "(").Replace(", ", ",");
        if (provider != DbProvider.PostgreSql) return t;
        if (t.StartsWith("character varying", StringComparison.Ordinal)) t = "varchar" + t["character varying".Length..];
        return t switch
        {
            "timestamp with time zone" => "timestamptz",
            "timestamp without time zone" => "timestamp",
            "time without time zone" => "time",
            "int4" => "integer",
            "int8" => "bigint",
            "int2" => "smallint",
            "float8" => "double precision",
            "float4" => "real",
            "bool" => "boolean",
            _ => t,
        };
    }
}
