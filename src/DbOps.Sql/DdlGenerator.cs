using DbOps.Schema.Model;

namespace DbOps.Sql;

/// <summary>The full create script of a schema (what the build writes to <c>schema.&lt;provider&gt;.sql</c>).</summary>
public static class DdlGenerator
{
    /// <summary>
    /// The script that creates every table, key, index, foreign key and CHECK constraint of <paramref name="schema"/>
    /// on an empty <paramref name="provider"/> database: exactly <see cref="MigrationSql"/>'s diff from the empty model
    /// to <see cref="DbModelFactory.Build"/>'s model. Deterministic: the same schema gives the same bytes.
    /// Runs with <c>sqlite3 db &lt; script</c>, <c>psql -v ON_ERROR_STOP=1 -f script</c>, or <c>sqlcmd -i script</c>
    /// (batches separated by <c>GO</c>). No transaction wrapper: callers that need one add it.
    /// </summary>
    public static string CreateScript(SchemaModel schema, DbProvider provider) =>
        MigrationSql.Script(null, DbModelFactory.Build(schema, provider), provider);
}
