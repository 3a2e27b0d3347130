namespace DbOps.Schema.Tests;

/// <summary>Valid schemas used by several tests.</summary>
internal static class Schemas
{
    /// <summary>The example of SPEC §1, verbatim.</summary>
    public const string Spec = DbOps.Testing.SpecExample.Yaml;
    /// <summary>PostgreSQL, exact naming, composite key, checks, references to a unique column, setNull, renames, many default types.</summary>
    public const string Blog = """
        dbops: 1
        name: BlogDb
        provider: postgresql
        naming: exact
        enums:
          PostState:
            members: [Draft, Published, Archived]
            comment: Lifecycle of a post
        entities:
          Author:
            columns:
              Id: { type: int32, primaryKey: true, identity: true }
              Handle: { type: string(40), unique: true, minLength: 3, pattern: '^[a-z0-9_]+$' }
              DisplayName: { type: string(100)?, renamedFrom: Name }
              Karma: { type: int64, default: 0, min: 0 }
              Rating: { type: float64, default: 2.5, min: 0, max: 5 }
              Joined: { type: date, default: 2024-01-31 }
              Active: { type: bool, default: true }
          Post:
            table: posts
            plural: Posts
            renamedFrom: Article
            comment: A blog post
            columns:
              Id: { type: guid, primaryKey: true }
              AuthorHandle: { type: string(40)?, references: Author.Handle, onDelete: setNull }
              EditorId: { type: int32?, references: Author, onDelete: restrict }
              Title: string(200)
              Body: string
              State: { type: PostState, default: Draft }
              Price: { type: 'decimal(8,2)', default: 9.99, min: 0, max: 100000 }
              Tags: json?
              Published: datetime?
              Stamp: { type: datetimeoffset, default: '2024-01-31T10:00:00+01:00' }
            indexes:
              - columns: [AuthorHandle]
              - columns: [EditorId, Published]
                name: ix_posts_by_editor
              - columns: [Title]
                unique: true
                where: "\"State\" = 'Published'"
            checks:
              - name: ck_posts_title_not_blank
                sql: length(trim("Title")) > 0
          PostTag:
            primaryKey: [PostId, Tag]
            columns:
              PostId: { type: guid, references: Post, onDelete: cascade }
              Tag: string(50)
        queries:
          PostCount:
            sql: SELECT count(*) FROM posts WHERE "AuthorHandle" = @handle
            params: { handle: string? }
            returns: int64
          LatestTitle:
            sql: |
              SELECT "Title" FROM posts
              ORDER BY "Published" DESC NULLS LAST
              LIMIT 1
            returns: string?
          Publish:
            sql: UPDATE posts SET "State" = 'Published', "Published" = @at WHERE "Id" = @id
            params:
              id: guid
              at: datetime
        """;

    /// <summary>SQL Server, block-form columns, binary/json/time defaults, a unique filtered index.</summary>
    public const string Inventory = """
        dbops: 1
        name: InventoryDb
        namespace: Acme.Inventory.Data
        provider: sqlserver
        enums:
          Unit: [Piece, Kilogram, Litre]
        entities:
          Warehouse:
            columns:
              Id:
                type: int16
                primaryKey: true
              Code:
                type: string(10)
                unique: true
              OpensAt:
                type: time
                default: "08:30"
          Item:
            columns:
              Sku:
                type: string(32)
                primaryKey: true
              WarehouseId:
                type: int16
                references: Warehouse.Id
              Unit:
                type: Unit
                default: Piece
              Quantity:
                type: decimal(12,3)
                min: 0
              Photo: binary(65536)?
              Marker:
                type: binary(4)
                default: AQIDBA==
              Attributes:
                type: json
                default: '{"color": "red"}'
              Weight: float32?
              Counter: { type: int64, defaultSql: "0" }
            indexes:
              - columns: [WarehouseId, Sku]
                unique: true
        queries:
          ItemsIn:
            sql: SELECT Sku, Quantity FROM item WHERE warehouse_id = @warehouse AND unit = @unit -- @ignored
            params: { warehouse: int16, unit: Unit }
            returns:
              Sku: string
              Quantity: decimal(12,3)
        """;

    /// <summary>The smallest useful schema.</summary>
    public const string Minimal = """
        dbops: 1
        entities:
          Note:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Text: string
        """;

    public static readonly string[] All = [Spec, Blog, Inventory, Minimal];
}
