using System.Text.RegularExpressions;
using DbOps.Schema.Model;
using DbOps.Sql.Migrations;
using DbOps.Testing;

namespace DbOps.Migrations.Tests;

/// <summary>After declared renames, the migrated database equals a fresh one, names of keys, indexes and constraints included.</summary>
public class RenameStructureTests
{
    private const string V1 = """
        dbops: 1
        name: R
        entities:
          Artist:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              Name: { type: string(40), minLength: 2 }
              Code: { type: string(10), unique: true }
              Rank: { type: int32, min: 0 }
            indexes:
              - columns: [Name, Rank]
            checks:
              - sql: "rank < 1000"
          Album:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              ArtistId: { type: int64, references: Artist, onDelete: cascade }
              Title: string(80)
            indexes:
              - columns: [ArtistId]
          Label:
            columns:
              Id: { type: int64, primaryKey: true }
              Name: string(40)
        """;

    // Artist -> Performer (table performer), Artist.Name -> DisplayName, Album.ArtistId -> PerformerId, Label.Name -> Title
    // (Label has nothing but the column's own length check on SQLite, so no other change rebuilds it).
    private const string V2 = """
        dbops: 1
        name: R
        entities:
          Performer:
            renamedFrom: Artist
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              DisplayName: { type: string(40), minLength: 2, renamedFrom: Name }
              Code: { type: string(10), unique: true }
              Rank: { type: int32, min: 0 }
            indexes:
              - columns: [DisplayName, Rank]
            checks:
              - sql: "rank < 1000"
          Album:
            columns:
              Id: { type: int64, primaryKey: true, identity: true }
              PerformerId: { type: int64, references: Performer, onDelete: cascade, renamedFrom: ArtistId }
              Title: string(80)
            indexes:
              - columns: [PerformerId]
          Label:
            columns:
              Id: { type: int64, primaryKey: true }
              Title: { type: string(40), renamedFrom: Name }
        """;

    public static TheoryData<DbProvider> Providers => new() { DbProvider.Sqlite, DbProvider.PostgreSql };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Renamed_table_and_columns_have_the_names_of_a_fresh_database(DbProvider provider)
    {
        if (provider == DbProvider.PostgreSql && PostgresServer.FindBinDir() is null) return;
        var p = provider.ToString().ToLowerInvariant();
        var (v1, v2) = (TestSchemas.Load(V1, p), TestSchemas.Load(V2, p));
        using var migrated = TestDb.Create(provider);
        migrated.Apply(MigrationPlanner.Plan(null, v1, provider).Script("0001_initial", false));
        migrated.Execute("INSERT INTO artist (name, code, rank) VALUES ('ann', 'a', 1), ('bob', 'b', 2)");
        migrated.Execute("INSERT INTO album (artist_id, title) VALUES (1, 'x'), (2, 'y')");
        var plan = MigrationPlanner.Plan(v1, v2, provider);
        Assert.DoesNotContain(plan.Changes, c => c.Danger is not null);
        migrated.Apply(plan.Script("0002_rename", false));

        using var fresh = TestDb.Create(provider);
        fresh.Apply(MigrationPlanner.Plan(null, v2, provider).Script("0001_initial", false));

        var names = StructureNames.Of(migrated);
        Assert.Contains("performer:check:ck_performer_display_name_min_length", names);
        Assert.Contains("album:foreign key:fk_album_performer_id", names);
        if (provider == DbProvider.Sqlite) Assert.Contains("label:check:ck_label_title_length", names);
        Assert.Equal(StructureNames.Of(fresh), names);
        Assert.Empty(PlannerTests.LiveCompare(migrated, v2));
        Assert.Equal(2L, Convert.ToInt64(migrated.Scalar("SELECT COUNT(*) FROM album a JOIN performer p ON p.id = a.performer_id")));
        if (provider == DbProvider.PostgreSql) Assert.DoesNotContain("DROP CONSTRAINT", plan.Script("0002_rename", false), StringComparison.Ordinal);
    }
}

/// <summary>The names of every table's primary key, foreign keys, checks and indexes, as "table:kind:name", sorted.</summary>
public static partial class StructureNames
{
    public static IReadOnlyList<string> Of(TestDb db)
    {
        var names = new List<string>();
        if (db.Provider == DbProvider.Sqlite)
        {
            // SQLite keeps constraint names only in the CREATE TABLE text.
            foreach (var row in db.Rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND tbl_name NOT LIKE 'dbops_%'"))
            {
                var (type, name, table, sql) = ((string)row[0]!, (string)row[1]!, (string)row[2]!, row[3] as string ?? "");
                if (type == "index") names.Add($"{table}:index:{name}");
                if (type != "table") continue;
                foreach (Match m in Constraint().Matches(sql))
                    names.Add($"{table}:{m.Groups["kind"].Value.ToLowerInvariant() switch { "primary" => "primary key", "foreign" => "foreign key", _ => "check" }}:{m.Groups["name"].Value}");
            }
        }
        else
        {
            foreach (var row in db.Rows("""
                SELECT c.conrelid::regclass::text, c.contype::text, c.conname FROM pg_constraint c
                WHERE c.connamespace = 'public'::regnamespace AND c.conrelid::regclass::text NOT LIKE 'dbops_%'
                """))
                names.Add($"{row[0]}:{(string)row[1]! switch { "p" => "primary key", "f" => "foreign key", "c" => "check", "u" => "unique", var t => t }}:{row[2]}");
            foreach (var row in db.Rows("SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'dbops_%' AND indexname NOT LIKE 'pk_%'"))
                names.Add($"{row[0]}:index:{row[1]}");
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    [GeneratedRegex("""CONSTRAINT\s+"?(?<name>\w+)"?\s+(?<kind>PRIMARY|FOREIGN|CHECK)""", RegexOptions.IgnoreCase)]
    private static partial Regex Constraint();
}
