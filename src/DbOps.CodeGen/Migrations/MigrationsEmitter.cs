using DbOps.Schema.Model;

namespace DbOps.CodeGen.Migrations;

/// <summary>
/// Writes <c>{Name}.Migrations.g.cs</c>: the database class's <c>MigrateAsync</c> and <c>GetPendingMigrationsAsync</c>
/// (SPEC §4), which run the migrations the build embeds into the assembly (<c>DbOps.Migrations.NNNN_name.sql</c>)
/// through <c>DbOps.Runtime.DbOpsMigrator</c>.
/// </summary>
public static class MigrationsEmitter
{
    /// <summary>The generated file for <paramref name="schema"/>; deterministic, \n line endings.</summary>
    public static GeneratedFile Emit(SchemaModel schema, CodeGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        var name = schema.Name;
        const string Task = "global::System.Threading.Tasks.Task";
        const string Ct = "global::System.Threading.CancellationToken";
        const string Result = "global::DbOps.Runtime.DbOpsMigrationResult";
        const string Migrator = "global::DbOps.Runtime.DbOpsMigrator";
        var w = CodeWriter.ForFile(options.Namespace);
        w.Open($"public sealed partial class {name}");
        w.Line("/// <summary>");
        w.Line("/// Applies the migrations of this application (the committed <c>Migrations/NNNN_name.sql</c>, embedded by the build)");
        w.Line("/// that the database has not applied yet, in order, each exactly once and in its own transaction, and records them");
        w.Line("/// in the table <c>dbops_migrations</c>. Safe when several instances start at once: one applies, the others wait");
        w.Line("/// and find the scripts applied.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"logger\">Receives one line per applied script (with its duration); null logs nothing.</param>");
        w.Line("/// <param name=\"cancellationToken\">Cancels the migration (the script in progress is rolled back).</param>");
        w.Line("/// <returns>The scripts applied by this call and how many were applied already.</returns>");
        w.Line("/// <exception cref=\"global::DbOps.Runtime.DbOpsMigrationException\">An applied script was edited, the database has a");
        w.Line("/// migration this application does not contain, or a script failed (rolled back; the database error is the inner exception).</exception>");
        w.Line($"public {Task}<{Result}> MigrateAsync(global::Microsoft.Extensions.Logging.ILogger? logger = null, {Ct} cancellationToken = default) =>");
        w.Line($"    {Migrator}.MigrateAsync(DataSource, Services, typeof({name}).Assembly, logger, cancellationToken);");
        w.Line();
        w.Line("/// <summary>Applies the pending migrations without logging; see <see cref=\"MigrateAsync(global::Microsoft.Extensions.Logging.ILogger?, global::System.Threading.CancellationToken)\"/>.</summary>");
        w.Line("/// <param name=\"cancellationToken\">Cancels the migration (the script in progress is rolled back).</param>");
        w.Line("/// <returns>The scripts applied by this call and how many were applied already.</returns>");
        w.Line($"public {Task}<{Result}> MigrateAsync({Ct} cancellationToken) => MigrateAsync(null, cancellationToken);");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Dry run of <see cref=\"MigrateAsync(global::Microsoft.Extensions.Logging.ILogger?, global::System.Threading.CancellationToken)\"/>:");
        w.Line("/// the file names of the migrations it would apply, in order. Changes and creates nothing.");
        w.Line("/// </summary>");
        w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
        w.Line("/// <returns>The pending script names, e.g. <c>0002_add_phone.sql</c>; empty when the database is up to date.</returns>");
        w.Line("/// <exception cref=\"global::DbOps.Runtime.DbOpsMigrationException\">The database's journal does not match this application's migrations.</exception>");
        w.Line($"public {Task}<global::System.Collections.Generic.IReadOnlyList<string>> GetPendingMigrationsAsync({Ct} cancellationToken = default) =>");
        w.Line($"    {Migrator}.GetPendingMigrationsAsync(DataSource, Services, typeof({name}).Assembly, cancellationToken);");
        w.Close();
        return new GeneratedFile($"{name}.Migrations.g.cs", w.ToString().TrimEnd('\n') + "\n");
    }
}
