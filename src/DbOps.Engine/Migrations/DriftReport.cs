using System.Text;
using DbOps.Sql.Migrations;

namespace DbOps.Engine.Migrations;

/// <summary>drift.md: the pending changes as markdown, fit for a pull-request comment, with a diagram of the changed tables and their neighbours.</summary>
internal static class DriftReport
{
    public static string Markdown(string schemaName, IReadOnlyList<SchemaChange> changes, string pendingScript, bool initial, string? diagram = null)
    {
        var sb = new StringBuilder();
        sb.Append("## DbOps: schema drift in ").Append(schemaName).Append('\n').Append('\n');
        sb.Append(initial
            ? "There are no committed migrations yet: the whole schema is pending (the initial migration).\n\n"
            : $"`dbops.yaml` differs from the committed migrations by {changes.Count} change{(changes.Count == 1 ? "" : "s")}.\n\n");
        sb.Append("| # | change | where | risk |\n|---|---|---|---|\n");
        var i = 1;
        foreach (var c in changes)
        {
            var where = c.Location.Line > 0 ? $"`{c.Location.File}({c.Location.Line},{c.Location.Column})`" : "";
            var risk = string.Join("<br>", (c.Danger is null ? [] : new[] { $"**{c.Danger.Code}** {Escape(c.Danger.Reason)}" })
                .Concat(c.Notes.Select(n => $"**{n.Code}** {Escape(n.Text)}")));
            sb.Append($"| {i++} | {Escape(c.Description)} | {where} | {risk} |\n");
        }
        if (diagram is not null) sb.Append("\n### Changed tables\n\n").Append(diagram);
        sb.Append("\nTo accept the changes, add a migration and commit it:\n\n```\n");
        sb.Append("dotnet build -t:DbOpsAddMigration -p:DbOpsMigrationName=<Name>\n```\n");
        if (changes.Any(c => c.Danger is not null))
            sb.Append("\nSome changes can lose data or fail on existing rows; DbOpsAddMigration refuses them unless `-p:DbOpsAllowDataLoss=true`.\n");
        sb.Append("\n<details><summary>pending migration script</summary>\n\n```sql\n").Append(pendingScript.TrimEnd()).Append("\n```\n\n</details>\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|").Replace("\n", " ");
}
