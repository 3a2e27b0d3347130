namespace DbOps.Runtime;

// Migrations (SPEC §4 `await db.MigrateAsync()`, DbUp, safe when run concurrently) are added in a later issue:
// the generated database class will get `MigrateAsync(CancellationToken)` calling a `DbOpsMigrator` here with the
// embedded Migrations/*.sql scripts. Until then the generator emits no MigrateAsync.
