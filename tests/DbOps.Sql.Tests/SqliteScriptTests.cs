using DbOps.Schema.Model;
using DbOps.Testing;
using Microsoft.Data.Sqlite;

namespace DbOps.Sql.Tests;

/// <summary>The SQLite create script run by the real sqlite3 CLI, then checked and attacked with bad rows.</summary>
public sealed class SqliteScriptTests : IDisposable
{
    private readonly TempDirectory _temp = new("dbops-sqlite");

    public void Dispose() => _temp.Dispose();

    private SqliteConnection CreateDatabase(SchemaModel schema)
    {
        var script = DdlGenerator.CreateScript(schema, DbProvider.Sqlite);
        var scriptPath = _temp.Write("schema.sqlite.sql", script);
        var db = _temp.Combine($"{schema.Name}.db");
        var result = ProcessRunner.Run("sqlite3", ["-bail", db, $".read {scriptPath}"]);
        Assert.True(result.ExitCode == 0 && result.StdErr.Length == 0, result.ToString());
        var connection = new SqliteConnection($"Data Source={db};Foreign Keys=True;Pooling=False");
        connection.Open();
        return connection;
    }

    private static List<string> Strings(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return list;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void Rejects(SqliteConnection c, string sql, string messagePart)
    {
        var ex = Assert.Throws<SqliteException>(() => Exec(c, sql));
        Assert.True(ex.Message.Contains(messagePart, StringComparison.Ordinal), $"expected \"{messagePart}\" in: {ex.Message}");
    }

    [Fact]
    public void Shop_script_creates_tables_indexes_and_foreign_keys_that_hold()
    {
        using var c = CreateDatabase(Schemas.Shop());
        Assert.Equal(["customers", "orders"], Strings(c, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
        Assert.Equal(["ix_customers_name", "ix_orders_customer_id_placed_at", "ux_customers_email"],
            Strings(c, "SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
        Assert.Equal(["customers|customer_id|id|CASCADE"], Strings(c, "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('orders')"));
        Assert.Equal(["id|INTEGER|1|0", "email|TEXT|1|0", "name|TEXT|1|0", "phone|TEXT|0|0", "created_at|TEXT|1|0"],
            Strings(c, "SELECT name, type, \"notnull\", 0 FROM pragma_table_info('customers') ORDER BY cid"));

        Exec(c, "INSERT INTO customers (email, name) VALUES ('ann@x.io', 'Ann')");
        Assert.Equal(["1|1"], Strings(c, "SELECT id, created_at IS NOT NULL FROM customers"));
        Assert.Equal(["customers|1"], Strings(c, "SELECT name, seq FROM sqlite_sequence")); // AUTOINCREMENT
        Rejects(c, "INSERT INTO customers (email, name) VALUES ('ann@x.io', 'Other')", "UNIQUE constraint failed: customers.email");
        Rejects(c, $"INSERT INTO customers (email, name) VALUES ('{new string('a', 321)}', 'Long')", "CHECK constraint failed: ck_customers_email_length");
        Rejects(c, $"INSERT INTO customers (email, name) VALUES ('b@x.io', '{new string('n', 201)}')", "CHECK constraint failed: ck_customers_name_length");
        Rejects(c, "INSERT INTO customers (email) VALUES ('c@x.io')", "NOT NULL constraint failed: customers.name");

        Exec(c, "INSERT INTO orders (id, customer_id, total, placed_at) VALUES ('A', 1, '12.50', '2024-01-01 00:00:00+00:00')");
        Assert.Equal(["Pending"], Strings(c, "SELECT status FROM orders"));
        Rejects(c, "INSERT INTO orders (id, customer_id, total, placed_at) VALUES ('B', 99, '1', 'x')", "FOREIGN KEY constraint failed");
        Rejects(c, "INSERT INTO orders (id, customer_id, total, placed_at) VALUES ('C', 1, '-0.01', 'x')", "CHECK constraint failed: ck_orders_total_min");
        Exec(c, "INSERT INTO orders (id, customer_id, total, placed_at) VALUES ('D', 1, '9', 'x')");
        Exec(c, "DELETE FROM customers WHERE id = 1");
        Assert.Equal(["0"], Strings(c, "SELECT count(*) FROM orders")); // ON DELETE CASCADE
    }

    [Fact]
    public void Everything_script_enforces_checks_defaults_and_every_delete_rule()
    {
        using var c = CreateDatabase(Schemas.Everything());
        Assert.Equal(["Membership", "account", "document", "type_zoo"],
            Strings(c, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
        Assert.Equal(["ix_document_owner_id", "ux_account_email_live", "ux_account_login", "ux_document_owner_id_version"],
            Strings(c, "SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%' ORDER BY name"));
        Assert.Equal(["account|editor_id|id|SET NULL", "account|owner_code|code|NO ACTION", "account|owner_id|id|RESTRICT", "document|parent_id|id|NO ACTION", "account|reviewer_id|id|NO ACTION"],
            Strings(c, "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('document') ORDER BY \"from\""));

        // Defaults of every type, stored the way EF Core stores them.
        Exec(c, "INSERT INTO type_zoo DEFAULT VALUES");
        Assert.Equal(["1|0|7|42|9000000000|1.5|2.25|12.5|untitled|6F9619FF-8B86-D011-B42D-00CF4FC964FF|2024-02-29|13:45:30|2024-01-02 03:04:05|2024-01-02 03:04:05+00:00|Green|010203"],
            Strings(c, "SELECT id, b, i16, i32, i64, f32, f64, amount, title, token, day, at, stamp, stamp_offset, color, hex(bytes) FROM type_zoo"));
        Rejects(c, "INSERT INTO type_zoo (i16) VALUES (101)", "ck_type_zoo_i16_max");
        Rejects(c, "INSERT INTO type_zoo (i16) VALUES (-101)", "ck_type_zoo_i16_min");
        Rejects(c, "INSERT INTO type_zoo (amount) VALUES ('1000000.01')", "ck_type_zoo_amount_max");
        Exec(c, "INSERT INTO type_zoo (amount) VALUES ('999999.99')"); // compared as numbers, not text
        Rejects(c, "INSERT INTO type_zoo (title) VALUES ('x')", "ck_type_zoo_title_min_length");
        Rejects(c, "INSERT INTO type_zoo (hash) VALUES (zeroblob(17))", "ck_type_zoo_hash_length");
        Exec(c, "INSERT INTO type_zoo (hash) VALUES (zeroblob(16))");

        Exec(c, "INSERT INTO account (login, code) VALUES ('ann', 'A1'), ('bob', 'B1')");
        Rejects(c, "INSERT INTO account (login, code) VALUES ('admin', 'C1')", "ck_account_login_not_admin");
        Rejects(c, "INSERT INTO account (login, code) VALUES ('al', 'C1')", "ck_account_login_min_length");
        Rejects(c, "INSERT INTO account (login, code) VALUES ('carl', 'A1')", "UNIQUE constraint failed: account.code");
        // Filtered unique index: one live row per email, any number of deleted ones.
        Exec(c, "UPDATE account SET email = 'x@x.io'  WHERE login = 'ann'");
        Rejects(c, "UPDATE account SET email = 'x@x.io' WHERE login = 'bob'", "UNIQUE constraint failed: account.email");
        Exec(c, "UPDATE account SET deleted_at = '2024-01-01 00:00:00' WHERE login = 'ann'");
        Exec(c, "UPDATE account SET email = 'x@x.io' WHERE login = 'bob'");

        Exec(c, "INSERT INTO \"Membership\" (\"AccountId\", \"GroupName\", since) VALUES (1, 'g', '2024-01-01')");
        Rejects(c, "INSERT INTO \"Membership\" (\"AccountId\", \"GroupName\", since) VALUES (1, 'g', '2024-01-02')", "UNIQUE constraint failed: Membership.AccountId, Membership.GroupName");
        Exec(c, "INSERT INTO \"Membership\" (\"AccountId\", \"GroupName\", since) VALUES (1, 'h', '2024-01-02')");

        Exec(c, "INSERT INTO document (id, owner_id, editor_id, reviewer_id, owner_code) VALUES ('D1', 2, 1, NULL, 'B1')");
        Rejects(c, "INSERT INTO document (id, owner_id, owner_code, version) VALUES ('D2', 2, 'ZZ', 2)", "FOREIGN KEY constraint failed"); // to a unique non-key column
        Rejects(c, "DELETE FROM account WHERE id = 2", "FOREIGN KEY constraint failed"); // restrict (owner)
        Exec(c, "DELETE FROM account WHERE id = 1"); // set null (editor), cascade (membership)
        Assert.Equal(["NULL"], Strings(c, "SELECT editor_id FROM document"));
        Assert.Equal(["0"], Strings(c, "SELECT count(*) FROM \"Membership\""));
        Exec(c, "INSERT INTO account (login, code) VALUES ('dan', 'D1')");
        Exec(c, "UPDATE document SET reviewer_id = 3");
        Rejects(c, "DELETE FROM account WHERE id = 3", "FOREIGN KEY constraint failed"); // no action (reviewer)
        Rejects(c, "INSERT INTO document (id, owner_id, version) VALUES ('D3', 2, 0)", "ck_document_version_min");
        Rejects(c, "INSERT INTO document (id, owner_id) VALUES ('D4', 2)", "UNIQUE constraint failed: document.owner_id, document.version");
    }
}
