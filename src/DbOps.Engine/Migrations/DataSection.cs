using DbOps.Schema.Model;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Migrations;

/// <summary>
/// The hand-written data section of a migration: everything below the line <c>-- dbops:data h1:&lt;hash&gt;</c>
/// (<see cref="MigrationScript.DataMarker"/>). The hash on that line is the hash (<see cref="MigrationFolder.Hash"/>) of
/// the text above it (and below the closing <c>-- dbops:end-data</c> line, when there is one), so re-summing the file (DbOpsAddMigration with the migration's name) can prove that only the
/// hand-written part changed. The migrator sees the marker as a comment: the section runs with the rest of the script.
/// </summary>
internal static class DataSection
{
    private const string Note =
        "-- Hand-written SQL below this line (a backfill, a data fix): it runs once, in number order with the other migrations,\n" +
        "-- in one transaction (a `-- dbops:no-transaction` line starts a section that runs outside one).\n";

    /// <summary>The file of a data migration (DbOpsMigrationKind=data): a header and an empty data section.</summary>
    public static string DataMigration(string migrationName, string name, DbProvider provider)
    {
        var header =
            $"-- DbOps data migration {migrationName}\n" +
            $"-- provider: {DbProviders.Name(provider)}\n" +
            "-- kind: data (hand-written; the schema snapshot does not change, so use only tables and columns the schema already has)\n" +
            ResumHint(name) +
            "\n";
        return Append(header);
    }

    /// <summary>
    /// A generated migration followed by an empty data section (DbOpsMigrationKind=schema+data). On SQLite a table rebuild
    /// ends with the foreign key check and <c>PRAGMA foreign_keys = 1</c>: the data section goes before them (inside the
    /// rebuild's transaction, so the check covers the hand-written SQL too) and ends at a <c>-- dbops:end-data</c> line.
    /// </summary>
    public static string WithDataSection(string generated, string name)
    {
        var text = generated.ReplaceLineEndings("\n");
        var trailerAt = text.IndexOf(MigrationScript.SqliteForeignKeyCheck, StringComparison.Ordinal);
        var main = trailerAt < 0 ? text : text[..trailerAt];
        // The data section runs after the generated statements, in a transaction even when they ended outside one.
        var above = main.TrimEnd('\n') + "\n\n" + ResumHint(name) + MigrationScript.TransactionMarker + "\n";
        if (trailerAt < 0) return Append(above);
        var below = MigrationScript.DataEndMarker + "\n" + text[trailerAt..];
        return above + Marker(above + below) + NoteUntilEnd + "\n" + below;
    }

    private const string NoteUntilEnd =
        "-- Hand-written SQL below this line and above the dbops:end-data line (a backfill, a data fix): it runs once, inside the\n" +
        "-- table rebuild's transaction, before the foreign key check.\n";

    private static string ResumHint(string name) =>
        "-- After editing the hand-written part, and only while no database has applied this migration, re-sum it with\n" +
        $"--   dotnet build -t:DbOpsAddMigration -p:DbOpsMigrationName={name}\n" +
        "-- (everything above the dbops:data line must stay as written; MigrateAsync refuses an applied migration that changed).\n";

    private static string Append(string above) => above + Marker(above) + Note + "\n";

    private static string Marker(string generated) => MigrationScript.DataMarker + " " + MigrationFolder.Hash(generated) + "\n";

    /// <summary>
    /// Whether <paramref name="text"/> has a data section and whether the text above its marker is still what was written
    /// (its hash matches the marker's).
    /// </summary>
    public static (bool HasSection, bool GeneratedPartIntact) Inspect(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith(MigrationScript.DataMarker, StringComparison.Ordinal)) continue;
            var rest = line[MigrationScript.DataMarker.Length..];
            if (rest.Length > 0 && rest[0] != ' ') continue;
            var above = string.Concat(lines.Take(i).Select(l => l + "\n"));
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == MigrationScript.DataEndMarker);
            var below = end < 0 ? "" : string.Join("\n", lines[end..]);
            return (true, rest.Trim() == MigrationFolder.Hash(above + below));
        }
        return (false, false);
    }
}
