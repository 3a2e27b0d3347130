using DbOps.Schema.Model;
using DbOps.Testing;
using Npgsql;

namespace DbOps.Sql.Tests;

/// <summary>The PostgreSQL create script run by the real psql (ON_ERROR_STOP), then checked in pg_catalog and attacked with bad rows.</summary>
public sealed class PostgresScriptTests : IDisposable
{
    private readonly TempDirectory _temp = new("dbops-pg");

    public void Dispose() => _temp.Dispose();

    private NpgsqlConnection CreateDatabase(SchemaModel schema)
    {
        var script = DdlGenerator.CreateScript(schema, DbProvider.PostgreSql);
        var path = _temp.Write("schema.postgresql.sql", script);
        var cs = PostgresServer.Instance.CreateDatabase("ddl");
        var result = PostgresServer.Instance.Psql(cs, path);
        Assert.True(result.ExitCode == 0 && !result.StdErr.Contains("ERROR"), result.ToString());
        var connection = new NpgsqlConnection(cs);
        connection.Open();
        return connection;
    }

    private static List<string> Strings(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return list;
    }

    private static void Exec(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The statement fails with <paramref name="sqlState"/> naming <paramref name="constraint"/>.</summary>
    private static void Rejects(NpgsqlConnection c, string sql, string sqlState, string constraint)
    {
        var ex = Assert.Throws<PostgresException>(() => Exec(c, sql));
        Assert.True(ex.SqlState == sqlState && ex.ConstraintName == constraint, $"expected {sqlState} on {constraint}, got {ex.SqlState} on {ex.ConstraintName}: {ex.MessageText}");
    }

    private static List<string> ColumnTypes(NpgsqlConnection c, string table) => Strings(c,
        $"SELECT attname || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' not null' ELSE '' END || CASE WHEN attidentity = 'd' THEN ' identity by default' ELSE '' END " +
        $"FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");

    private static List<string> Constraints(NpgsqlConnection c, string table) => Strings(c,
        $"SELECT conname || ' ' || contype::text || ' ' || confdeltype::text FROM pg_constraint WHERE conrelid = '{table}'::regclass ORDER BY conname");

    [PostgresFact]
    public void Shop_script_creates_spec_types_and_constraints_that_hold()
    {
        using var c = CreateDatabase(Schemas.Shop());
        Assert.Equal(["id bigint not null identity by default", "email character varying(320) not null", "name character varying(200) not null",
            "phone character varying(40)", "created_at timestamp with time zone not null"], ColumnTypes(c, "customers"));
        Assert.Equal(["id uuid not null", "customer_id bigint not null", "status character varying(64) not null", "total numeric(12,2) not null",
            "placed_at timestamp with time zone not null"], ColumnTypes(c, "orders"));
        Assert.Equal(["ck_orders_total_min c  ", "fk_orders_customer_id f c", "pk_orders p  "], Constraints(c, "orders"));
        Assert.Equal(["customers|ix_customers_name", "customers|pk_customers", "customers|ux_customers_email", "orders|ix_orders_customer_id_placed_at", "orders|pk_orders"],
            Strings(c, "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"));

        Exec(c, "INSERT INTO customers (email, name) VALUES ('ann@x.io', 'Ann')");
        Assert.Equal(["1|True"], Strings(c, "SELECT id, created_at IS NOT NULL FROM customers"));
        Rejects(c, "INSERT INTO customers (email, name) VALUES ('ann@x.io', 'Other')", "23505", "ux_customers_email");
        Assert.Equal("22001", Assert.Throws<PostgresException>(() => Exec(c, $"INSERT INTO customers (email, name) VALUES ('{new string('a', 321)}', 'Long')")).SqlState);
        Exec(c, "INSERT INTO orders (id, customer_id, total, placed_at) VALUES (gen_random_uuid(), 1, 12.50, now())");
        Assert.Equal(["Pending"], Strings(c, "SELECT status FROM orders"));
        Rejects(c, "INSERT INTO orders (id, customer_id, total, placed_at) VALUES (gen_random_uuid(), 99, 1, now())", "23503", "fk_orders_customer_id");
        Rejects(c, "INSERT INTO orders (id, customer_id, total, placed_at) VALUES (gen_random_uuid(), 1, -0.01, now())", "23514", "ck_orders_total_min");
        Exec(c, "DELETE FROM customers");
        Assert.Equal(["0"], Strings(c, "SELECT count(*) FROM orders"));
    }

    [PostgresFact]
    public void Everything_script_enforces_checks_defaults_and_every_delete_rule()
    {
        using var c = CreateDatabase(Schemas.Everything());
        Assert.Equal([
            "id integer not null identity by default", "b boolean not null", "i16 smallint not null", "i32 integer not null", "i64 bigint not null",
            "f32 real not null", "f64 double precision not null", "amount numeric(12,2) not null", "raw_decimal numeric",
            "title character varying(100) not null", "body text", "hash bytea", "blob bytea", "token uuid not null", "day date not null",
            "at time without time zone not null", "stamp timestamp without time zone not null", "stamp_offset timestamp with time zone not null",
            "doc jsonb", "color character varying(64) not null", "maybe_color character varying(64)", "bytes bytea not null",
        ], ColumnTypes(c, "type_zoo"));
        Assert.Equal(["AccountId bigint not null", "GroupName character varying(50) not null", "since date not null"], ColumnTypes(c, "\"Membership\""));
        Assert.Equal(["fk_document_editor_id f n", "fk_document_owner_code f a", "fk_document_owner_id f r", "fk_document_parent_id f a", "fk_document_reviewer_id f a"],
            Constraints(c, "document").Where(s => s.StartsWith("fk_")).ToList());
        Assert.Equal(["ck_account_login_min_length c  ", "ck_account_login_not_admin c  ", "pk_account p  ", "ux_account_code u  "], Constraints(c, "account"));
        Assert.Equal(["People who log in|The login name"], Strings(c, "SELECT obj_description('account'::regclass), col_description('account'::regclass, 2)"));

        // Defaults of every type.
        Exec(c, "INSERT INTO type_zoo DEFAULT VALUES");
        Assert.Equal(["1|false|7|42|9000000000|1.5|2.25|12.50|untitled|6f9619ff-8b86-d011-b42d-00cf4fc964ff|2024-02-29|13:45:30|2024-01-02 03:04:05|2024-01-02 03:04:05+00|Green|\\x010203"],
            Strings(c, "SELECT id, b::text, i16, i32, i64, f32::text, f64::text, amount::text, title, token::text, day::text, at::text, stamp::text, (stamp_offset AT TIME ZONE 'UTC')::text || '+00', color, bytes::text FROM type_zoo"));
        Rejects(c, "INSERT INTO type_zoo (i16) VALUES (101)", "23514", "ck_type_zoo_i16_max");
        Rejects(c, "INSERT INTO type_zoo (i16) VALUES (-101)", "23514", "ck_type_zoo_i16_min");
        Rejects(c, "INSERT INTO type_zoo (amount) VALUES (1000000.01)", "23514", "ck_type_zoo_amount_max");
        Rejects(c, "INSERT INTO type_zoo (f64) VALUES (1000.5)", "23514", "ck_type_zoo_f64_max");
        Rejects(c, "INSERT INTO type_zoo (title) VALUES ('x')", "23514", "ck_type_zoo_title_min_length");
        Rejects(c, "INSERT INTO type_zoo (hash) VALUES (decode(repeat('00', 17), 'hex'))", "23514", "ck_type_zoo_hash_length");
        Exec(c, "INSERT INTO type_zoo (hash, doc) VALUES (decode(repeat('00', 16), 'hex'), '{\"a\": 1}')");

        Exec(c, "INSERT INTO account (login, code) VALUES ('ann', 'A1'), ('bob', 'B1')");
        Rejects(c, "INSERT INTO account (login, code) VALUES ('admin', 'C1')", "23514", "ck_account_login_not_admin");
        Rejects(c, "INSERT INTO account (login, code) VALUES ('al', 'C1')", "23514", "ck_account_login_min_length");
        Rejects(c, "INSERT INTO account (login, code) VALUES ('carl', 'A1')", "23505", "ux_account_code");
        Rejects(c, "INSERT INTO account (login, code) VALUES ('ann', 'C1')", "23505", "ux_account_login");
        Exec(c, "UPDATE account SET email = 'x@x.io' WHERE login = 'ann'");
        Rejects(c, "UPDATE account SET email = 'x@x.io' WHERE login = 'bob'", "23505", "ux_account_email_live");
        Exec(c, "UPDATE account SET deleted_at = now() WHERE login = 'ann'");
        Exec(c, "UPDATE account SET email = 'x@x.io' WHERE login = 'bob'");

        Exec(c, "INSERT INTO \"Membership\" (\"AccountId\", \"GroupName\", since) VALUES (1, 'g', '2024-01-01')");
        Rejects(c, "INSERT INTO \"Membership\" (\"AccountId\", \"GroupName\", since) VALUES (1, 'g', '2024-01-02')", "23505", "pk_Membership");

        Exec(c, "INSERT INTO document (id, owner_id, editor_id) VALUES ('00000000-0000-0000-0000-000000000001', 2, 1)");
        Rejects(c, "INSERT INTO document (id, owner_id, owner_code, version) VALUES (gen_random_uuid(), 2, 'ZZ', 2)", "23503", "fk_document_owner_code");
        Exec(c, "INSERT INTO document (id, owner_id, owner_code, version) VALUES (gen_random_uuid(), 2, 'B1', 2)"); // to a unique non-key column
        Exec(c, "DELETE FROM document WHERE version = 2");
        Rejects(c, "DELETE FROM account WHERE id = 2", "23503", "fk_document_owner_id");
        Exec(c, "DELETE FROM account WHERE id = 1");
        Assert.Equal(["NULL"], Strings(c, "SELECT editor_id FROM document"));
        Assert.Equal(["0"], Strings(c, "SELECT count(*) FROM \"Membership\""));
        Exec(c, "INSERT INTO account (login, code) VALUES ('dan', 'D1')");
        Exec(c, "UPDATE document SET reviewer_id = (SELECT id FROM account WHERE login = 'dan')"); // ids: failed inserts used some up
        Rejects(c, "DELETE FROM account WHERE login = 'dan'", "23503", "fk_document_reviewer_id");
        Rejects(c, "INSERT INTO document (id, owner_id, version) VALUES (gen_random_uuid(), 2, 0)", "23514", "ck_document_version_min");
        Rejects(c, "INSERT INTO document (id, owner_id) VALUES (gen_random_uuid(), 2)", "23505", "ux_document_owner_id_version");
    }
}
