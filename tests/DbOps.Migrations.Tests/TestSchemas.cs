using DbOps.Testing;
using DbOps.Schema;
using DbOps.Schema.Model;

namespace DbOps.Migrations.Tests;

/// <summary>Schemas written as dbops.yaml and loaded by the real front end.</summary>
public static class TestSchemas
{
    public const string Spec = SpecExample.TablesYaml + "\n\n" + """
        queries:
          TotalRevenue:
            sql: SELECT COALESCE(SUM(total), 0) FROM orders
            returns: decimal
        """;

    /// <summary>Every type, defaults of every type, composite keys, every onDelete, a non-key reference, checks, comments.</summary>
    public const string KitchenSink = """
        dbops: 1
        name: KitchenSinkDb
        provider: postgresql
        enums:
          Color:
            members: [Red, Green, Blue]
            comment: "primary \"colours\""
        entities:
          Account:
            comment: People who log in
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Login: { type: string(40), unique: true, minLength: 3, comment: "The login: name" }
              Code: { type: string(10), unique: true }
              Active: { type: bool, default: true }
              Email: string(320)?
              DeletedAt: datetime?
            indexes:
              - { columns: [Email], unique: true, where: "deleted_at IS NULL", name: ux_account_email_live }
            checks:
              - { name: ck_account_login_not_admin, sql: "login <> 'admin'" }
              - sql: "code <> ''"
          TypeZoo:
            table: TypeZoo_Table
            columns:
              Id: { type: int32, primaryKey: true, identity: true }
              B: { type: bool, default: false }
              I16: { type: int16, default: 7, min: -100, max: 100 }
              I32: { type: int32, default: 42, min: 0 }
              I64: { type: int64, default: 9000000000 }
              F32: { type: float32, default: 1.5 }
              F64: { type: float64, default: 2.25, max: 1000.5 }
              Amount: { type: 'decimal(12,2)', default: 12.50, min: 0, max: 1000000 }
              RawDecimal: decimal?
              Title: { type: string(100), default: "untitled \"x\"\n", minLength: 2 }
              Body: string?
              Hash: binary(16)?
              Blob: { type: binary, default: AQID }
              Token: { type: guid, default: 6f9619ff-8b86-d011-b42d-00cf4fc964ff }
              Day: { type: date, default: 2024-02-29 }
              At: { type: time, default: "13:45:30.25" }
              Stamp: { type: datetime, default: "2024-01-02T03:04:05" }
              StampOffset: { type: datetimeoffset, default: "2024-01-02T03:04:05+02:00" }
              Doc: { type: json, default: '{"a": [1, 2]}' }
              Shade: { type: Color, default: Green }
              Yes: { type: string?, column: "null" }
              Login: { type: string(40)?, references: Account.Login, onDelete: setNull }
          Membership:
            primaryKey: [AccountId, ZooId]
            columns:
              AccountId: { type: int64, references: Account, onDelete: cascade }
              ZooId: { type: int32, references: TypeZoo, onDelete: restrict }
              Note: string(20)?
            indexes:
              - columns: [ZooId, AccountId]
                unique: true
        """;

    public static SchemaModel Load(string yaml, string? provider = null, string path = "dbops.yaml")
    {
        var result = SchemaLoader.Load([new SchemaSource(path, yaml)], provider);
        if (result.Model is null)
            throw new InvalidOperationException("Schema did not load:\n" + string.Join("\n", result.Diagnostics) + "\n---\n" + yaml);
        return result.Model;
    }
}
