using System.Data.Common;

namespace DbOps.Runtime;

/// <summary>
/// Reads a PostgreSQL database's structure (the <c>public</c> schema) from <c>pg_catalog</c>: five queries whatever the
/// number of tables. Indexes that back a primary key or unique constraint belong to that constraint and are not
/// listed as indexes; identity columns have no default.
/// </summary>
public sealed class PostgreSqlSchemaReader : DbOpsSchemaReader
{
    /// <summary>The one instance.</summary>
    public static PostgreSqlSchemaReader Instance { get; } = new();

    private PostgreSqlSchemaReader()
    {
    }

    private const string Tables = """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        """;

    private const string Columns_ = """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               CASE WHEN a.attidentity = '' THEN pg_get_expr(d.adbin, d.adrelid) END
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum
        """;

    private const string Constraints = """
        SELECT c.relname, con.conname, con.contype,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
               f.relname,
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o),
               con.confdeltype::text,
               CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class f ON f.oid = con.confrelid
        WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f', 'c')
        ORDER BY c.relname, con.conname
        """;

    private const string Indexes = """
        SELECT t.relname, i.relname, ix.indisunique,
               ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(ix.indexrelid, k.o::int, true))
                     FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o)
                     LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
                     WHERE k.o <= ix.indnkeyatts ORDER BY k.o),
               pg_get_expr(ix.indpred, ix.indrelid)
        FROM pg_index ix
        JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid)
        ORDER BY t.relname, i.relname
        """;

    /// <inheritdoc />
    public override async Task<DbOpsSchemaShape> ReadAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tables = await TablesAsync(connection, Tables, Columns_, cancellationToken).ConfigureAwait(false);
        TableParts? Of(object? table) => Part(tables, table);

        foreach (var r in await QueryAsync(connection, Constraints, null, cancellationToken).ConfigureAwait(false))
        {
            if (Of(r[0]) is not { } p) continue;
            var (name, cols) = ((string)r[1]!, (string[])r[3]!);
            switch (Convert.ToChar(r[2]))
            {
                case 'p': p.PrimaryKey = cols; break;
                case 'u': p.Uniques.Add(new DbOpsUniqueShape(name, cols)); break;
                case 'f': p.ForeignKeys.Add(new DbOpsForeignKeyShape(name, cols, (string)r[4]!, (string[])r[5]!, DeleteRule((string)r[6]!))); break;
                case 'c': p.Checks.Add(new DbOpsCheckShape(name, (string)r[7]!)); break;
            }
        }
        foreach (var r in await QueryAsync(connection, Indexes, null, cancellationToken).ConfigureAwait(false))
            Of(r[0])?.Indexes.Add(new DbOpsIndexShape((string)r[1]!, (string[])r[3]!, (bool)r[2]!, r[4] as string));

        return Shape(tables);
    }

    /// <inheritdoc />
    /// <remarks>PostgreSQL's long names become the short ones DbOps writes: <c>character varying(n)</c> = <c>varchar(n)</c>,
    /// <c>timestamp with time zone</c> = <c>timestamptz</c>, <c>int4</c> = <c>integer</c>, ...</remarks>
    public override string NormalizeType(string type)
    {
        var t = base.NormalizeType(type);
        if (t.StartsWith("character varying", StringComparison.Ordinal)) t = "varchar" + t["character varying".Length..];
        return t switch
        {
            "timestamp with time zone" or "timestamp(6) with time zone" => "timestamptz",
            "timestamp without time zone" => "timestamp",
            "time without time zone" => "time",
            "time with time zone" => "timetz",
            "int4" or "int" or "serial" => "integer",
            "int8" or "bigserial" => "bigint",
            "int2" => "smallint",
            "float8" => "double precision",
            "float4" => "real",
            "bool" => "boolean",
            "decimal" => "numeric",
            _ when t.StartsWith("decimal(", StringComparison.Ordinal) => "numeric" + t["decimal".Length..],
            _ => t,
        };
    }
}
