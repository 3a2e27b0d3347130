using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace DbOps.Runtime;

/// <summary>
/// The SQL of the migration journal and of the migration lock, per provider.
/// </summary>
/// <remarks>
/// <para><b>The journal</b> is the table <c>dbops_migrations</c>, one row per applied script. The build's idempotent deploy
/// script (target DbOpsScript) creates and fills the very same table, so either may migrate a database the other started:
/// <code>
/// -- PostgreSQL
/// CREATE TABLE IF NOT EXISTS dbops_migrations (script_name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL);
/// -- SQLite (applied_at: UTC text 'yyyy-MM-dd HH:mm:ss.SSS', like CURRENT_TIMESTAMP with milliseconds)
/// CREATE TABLE IF NOT EXISTS "dbops_migrations" ("script_name" TEXT NOT NULL PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TEXT NOT NULL);
/// -- SQL Server (applied_at: UTC)
/// IF OBJECT_ID(N'dbops_migrations', N'U') IS NULL
///   CREATE TABLE dbops_migrations (script_name nvarchar(255) NOT NULL PRIMARY KEY, checksum nvarchar(100) NOT NULL, applied_at datetime2 NOT NULL);
/// </code>
/// <c>script_name</c> is the file name (<c>0001_initial.sql</c>); <c>checksum</c> is <c>h1:</c> + base64 SHA-256 of the
/// file's UTF-8 text with \n line endings, exactly the file's line in <c>dbops.sum</c>
/// (<see cref="DbOpsMigrationScript.ComputeChecksum"/>). A row is inserted in the same transaction as the script's
/// (last) transactional section.</para>
/// <para><b>The lock</b>: PostgreSQL <c>pg_advisory_lock(<see cref="PostgresLockKey"/>)</c> (session level, per database;
/// a killed client's session ends and releases it); SQL Server <c>sp_getapplock 'dbops_migrations'</c> with session
/// owner; SQLite has none and relies on <c>BEGIN EXCLUSIVE</c> per script with the journal re-read inside.</para>
/// </remarks>
internal abstract class MigrationDialect
{
    public const string JournalTable = "dbops_migrations";

    /// <summary>The pg_advisory_lock key: the ASCII bytes of "DbOpsMig" as a big-endian int64.</summary>
    public const long PostgresLockKey = 0x44624F70734D6967;

    public static MigrationDialect For(DbOpsProvider provider) => provider switch
    {
        DbOpsProvider.Sqlite => new SqliteDialect(),
        DbOpsProvider.PostgreSql => new PostgresDialect(),
        DbOpsProvider.SqlServer => new SqlServerDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown provider."),
    };

    public abstract string CreateJournal { get; }
    /// <summary>One row (any value) when the journal table exists.</summary>
    public abstract string JournalExists { get; }
    public virtual string SelectJournal => $"SELECT script_name, checksum FROM {JournalTable}";
    public virtual string SelectJournalRow => $"SELECT checksum FROM {JournalTable} WHERE script_name = @name";
    public abstract string InsertJournalRow { get; }

    /// <summary>The names of the tables in the schema unqualified names resolve to (the baseline check).</summary>
    public abstract string SelectTables { get; }

    /// <summary>How the database compares unquoted-as-written table names.</summary>
    public virtual StringComparer TableNames => StringComparer.OrdinalIgnoreCase;

    /// <summary>
    /// The table in which an interrupted run records how far a script got (a transactional section committed before a
    /// later no-transaction section), or null when the provider's scripts never need it. Created on first use; a script's
    /// row is deleted with its journal row, and the table once it is empty.
    /// </summary>
    public virtual string? ProgressTable => null;
    public virtual string? CreateProgress => null;
    public virtual string? ProgressExists => null;
    public virtual string? SelectProgress => null;
    public virtual string? UpsertProgress => null;
    public virtual string? DeleteProgress => null;
    /// <summary>One row (any value) when some script's progress is still recorded.</summary>
    public virtual string? AnyProgress => null;
    public virtual string? DropProgress => null;

    /// <summary>Takes the migration lock on <paramref name="connection"/> (waits for it); no-op without one.</summary>
    public virtual Task AcquireLockAsync(DbConnection connection, ILogger logger, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Releases what <see cref="AcquireLockAsync"/> took.</summary>
    public virtual Task ReleaseLockAsync(DbConnection connection) => Task.CompletedTask;

    protected static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0; // waiting for the lock is expected; cancellation ends it
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class SqliteDialect : MigrationDialect
    {
        public override string CreateJournal =>
            $"CREATE TABLE IF NOT EXISTS \"{JournalTable}\" (\"script_name\" TEXT NOT NULL PRIMARY KEY, \"checksum\" TEXT NOT NULL, \"applied_at\" TEXT NOT NULL);";
        public override string JournalExists => $"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{JournalTable}'";
        public override string InsertJournalRow =>
            $"INSERT INTO \"{JournalTable}\" (\"script_name\", \"checksum\", \"applied_at\") VALUES (@name, @checksum, strftime('%Y-%m-%d %H:%M:%f', 'now'))";
        public override string SelectTables => "SELECT name FROM sqlite_master WHERE type = 'table'";
    }

    private sealed class PostgresDialect : MigrationDialect
    {
        public override string CreateJournal =>
            $"CREATE TABLE IF NOT EXISTS {JournalTable} (script_name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL)";
        public override string JournalExists => $"SELECT 1 WHERE to_regclass('{JournalTable}') IS NOT NULL";
        public override string InsertJournalRow =>
            $"INSERT INTO {JournalTable} (script_name, checksum, applied_at) VALUES (@name, @checksum, now())";
        public override string SelectTables => "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()";
        public override StringComparer TableNames => StringComparer.Ordinal;

        public override string ProgressTable => "dbops_migrations_progress";
        public override string CreateProgress =>
            $"CREATE TABLE IF NOT EXISTS {ProgressTable} (script_name text PRIMARY KEY, checksum text NOT NULL, next_group integer NOT NULL)";
        public override string ProgressExists => $"SELECT 1 WHERE to_regclass('{ProgressTable}') IS NOT NULL";
        public override string SelectProgress => $"SELECT checksum, next_group FROM {ProgressTable} WHERE script_name = @name";
        public override string UpsertProgress =>
            $"INSERT INTO {ProgressTable} (script_name, checksum, next_group) VALUES (@name, @checksum, @next) " +
            "ON CONFLICT (script_name) DO UPDATE SET checksum = EXCLUDED.checksum, next_group = EXCLUDED.next_group";
        public override string DeleteProgress => $"DELETE FROM {ProgressTable} WHERE script_name = @name";
        public override string AnyProgress => $"SELECT 1 FROM {ProgressTable} LIMIT 1";
        public override string DropProgress => $"DROP TABLE {ProgressTable}";

        public override async Task AcquireLockAsync(DbConnection connection, ILogger logger, CancellationToken cancellationToken)
        {
            // Try first so that waiting is logged once; then block until the holder finishes (or its session dies).
            if (await ScalarAsync(connection, $"SELECT pg_try_advisory_lock({PostgresLockKey})", cancellationToken).ConfigureAwait(false) is true)
                return;
            MigrationLog.WaitingForLock(logger, "pg_advisory_lock", null);
            await ScalarAsync(connection, $"SELECT pg_advisory_lock({PostgresLockKey})", cancellationToken).ConfigureAwait(false);
        }

        public override async Task ReleaseLockAsync(DbConnection connection)
        {
            // The scripts' SET lock_timeout must not stay on a pooled connection.
            await ScalarAsync(connection, "RESET lock_timeout", CancellationToken.None).ConfigureAwait(false);
            await ScalarAsync(connection, $"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private sealed class SqlServerDialect : MigrationDialect
    {
        public override string CreateJournal =>
            $"IF OBJECT_ID(N'{JournalTable}', N'U') IS NULL CREATE TABLE {JournalTable} (script_name nvarchar(255) NOT NULL PRIMARY KEY, checksum nvarchar(100) NOT NULL, applied_at datetime2 NOT NULL)";
        public override string JournalExists => $"SELECT 1 WHERE OBJECT_ID(N'{JournalTable}', N'U') IS NOT NULL";
        public override string InsertJournalRow =>
            $"INSERT INTO {JournalTable} (script_name, checksum, applied_at) VALUES (@name, @checksum, SYSUTCDATETIME())";
        public override string SelectTables => "SELECT name FROM sys.tables WHERE schema_id = SCHEMA_ID()";

        public override async Task AcquireLockAsync(DbConnection connection, ILogger logger, CancellationToken cancellationToken)
        {
            const string Take = "DECLARE @r int; EXEC @r = sp_getapplock @Resource = N'" + JournalTable +
                "', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = {0}; SELECT @r;";
            var r = Convert.ToInt32(await ScalarAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, Take, 0), cancellationToken).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture);
            if (r >= 0) return;
            MigrationLog.WaitingForLock(logger, "sp_getapplock", null);
            r = Convert.ToInt32(await ScalarAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, Take, -1), cancellationToken).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture);
            if (r < 0) throw new DbOpsMigrationException($"sp_getapplock for the migration lock failed with {r}.");
        }

        public override async Task ReleaseLockAsync(DbConnection connection) =>
            await ScalarAsync(connection, $"EXEC sp_releaseapplock @Resource = N'{JournalTable}', @LockOwner = N'Session'", CancellationToken.None).ConfigureAwait(false);
    }
}

internal static class MigrationLog
{
    public static readonly Action<ILogger, string, Exception?> WaitingForLock = LoggerMessage.Define<string>(LogLevel.Information,
        new EventId(4101, "DbOpsMigrationLockWait"), "Waiting for the migration lock ({Lock}): another instance is migrating this database");

    public static readonly Action<ILogger, string, Exception?> Applying = LoggerMessage.Define<string>(LogLevel.Debug,
        new EventId(4102, "DbOpsMigrationApplying"), "Applying migration {Script}");

    public static readonly Action<ILogger, string, long, Exception?> Applied = LoggerMessage.Define<string, long>(LogLevel.Information,
        new EventId(4103, "DbOpsMigrationApplied"), "Applied migration {Script} in {ElapsedMilliseconds} ms");

    public static readonly Action<ILogger, string, Exception?> AppliedByOther = LoggerMessage.Define<string>(LogLevel.Debug,
        new EventId(4104, "DbOpsMigrationAppliedByOther"), "Migration {Script} was applied meanwhile by another instance");

    public static readonly Action<ILogger, int, int, Exception?> Done = LoggerMessage.Define<int, int>(LogLevel.Information,
        new EventId(4105, "DbOpsMigrationDone"), "Database migrated: {Applied} applied, {AlreadyApplied} already applied");

    public static readonly Action<ILogger, string, Exception?> Failed = LoggerMessage.Define<string>(LogLevel.Error,
        new EventId(4106, "DbOpsMigrationFailed"), "Migration {Script} failed");

    public static readonly Action<ILogger, string, int, int, Exception?> LockTimeout = LoggerMessage.Define<string, int, int>(LogLevel.Warning,
        new EventId(4108, "DbOpsMigrationLockTimeout"),
        "Migration {Script}: a lock was not granted within lock_timeout (a long transaction holds it); retrying the step ({Attempt} of {Retries})");

    public static readonly Action<ILogger, string, Exception?> Baselined = LoggerMessage.Define<string>(LogLevel.Information,
        new EventId(4109, "DbOpsMigrationBaselined"),
        "Baseline {Script} recorded as applied without running it: the database already holds all of its tables");

    public static readonly Action<ILogger, int, Exception?> Busy = LoggerMessage.Define<int>(LogLevel.Information,
        new EventId(4107, "DbOpsMigrationBusy"), "SQLite database is locked by another connection; still waiting (attempt {Attempt})");
}
