using System.Data.Common;
using System.Diagnostics;
using System.Reflection;
using DbUp.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DbOps.Runtime;

/// <summary>
/// Applies the committed migrations (<c>Migrations/NNNN_name.sql</c>, embedded by the DbOps.Sdk build) to a database:
/// the generated <c>MigrateAsync</c> / <c>GetPendingMigrationsAsync</c> call this.
/// </summary>
/// <remarks>
/// <para>Scripts are DbUp <see cref="SqlScript"/>s (from <see cref="DbOpsEmbeddedScriptProvider"/>, a DbUp script
/// provider, or any other) named by file name and applied in number order, each exactly once, recorded in the journal
/// table <c>dbops_migrations</c> (script_name, checksum, applied_at; shared with the build's deploy script, see
/// <see cref="JournalTable"/>). The upgrade loop itself is DbOps's rather than DbUp's <c>UpgradeEngine</c>, because the
/// engine cannot express these rules: checksums of applied scripts, <c>-- dbops:no-transaction</c> sections, a journal
/// re-read inside the script's transaction, and a lock held for the whole run on a connection from the app's
/// <see cref="DbDataSource"/>.</para>
/// <para><b>Safety rules.</b> Before anything is applied every journal row is verified: an applied script whose text
/// changed (checksum), an applied script the application does not contain (the database is newer than the app, or a
/// script was renamed/deleted), and a pending script numbered below an applied one are each a
/// <see cref="DbOpsMigrationException"/> and nothing is changed. A script's transactional sections run in one
/// transaction together with the insert of its journal row, so a failing script leaves neither its changes nor a row;
/// the error is a <see cref="DbOpsMigrationException"/> with the database's exception inside. No-transaction sections
/// (SQLite <c>PRAGMA foreign_keys</c> around a table rebuild, PostgreSQL <c>CREATE INDEX CONCURRENTLY</c>) run outside
/// and are not undone, so they must be safe to run again.</para>
/// <para><b>Live PostgreSQL.</b> DbOps' PostgreSQL scripts start with <c>SET lock_timeout</c>; a section that fails with
/// 55P03 (lock not granted in time, e.g. behind a long transaction) is run again up to <see cref="LockRetries"/> times
/// instead of queueing every query behind its lock request. A transactional section that committed before a later
/// section failed is recorded in <c>dbops_migrations_progress</c>, so the next run skips it and finishes the script (its
/// no-transaction steps, such as <c>CREATE INDEX CONCURRENTLY</c> after an invalid leftover is dropped, run again).
/// <c>lock_timeout</c> is reset before the connection goes back to the pool.</para>
/// <para><b>Concurrency</b> (many instances starting at once; each script is applied once and every instance succeeds):
/// PostgreSQL takes <c>pg_advisory_lock</c> and SQL Server <c>sp_getapplock</c> (session owner) on the run's connection
/// for the whole run, released in <c>finally</c> (a killed process's session ends, which releases it). SQLite has no
/// such lock: each pending script runs its leading no-transaction sections, then <c>BEGIN EXCLUSIVE</c> (waiting while
/// another connection holds the database), re-reads the script's journal row inside the exclusive transaction and skips
/// it when another instance applied it meanwhile, applies it, commits, and runs its trailing no-transaction sections
/// on the same connection, whose <c>foreign_keys</c> setting is restored afterwards.</para>
/// </remarks>
public static class DbOpsMigrator
{
    /// <summary>The journal table: one row per applied script (see the remarks on <see cref="DbOpsMigrator"/>).</summary>
    public const string JournalTable = MigrationDialect.JournalTable;

    /// <summary>Applies the pending migrations embedded in <paramref name="assembly"/> (<c>DbOps.Migrations.*.sql</c>).</summary>
    /// <exception cref="DbOpsMigrationException">Verification failed or a script failed (rolled back).</exception>
    public static Task<DbOpsMigrationResult> MigrateAsync(DbDataSource dataSource, DbOpsProviderServices provider, Assembly assembly,
        ILogger? logger = null, CancellationToken cancellationToken = default) =>
        MigrateAsync(dataSource, provider, new DbOpsEmbeddedScriptProvider(assembly).GetScripts(), logger, cancellationToken);

    /// <summary>Applies the pending ones of <paramref name="scripts"/> (DbUp scripts named <c>NNNN_name.sql</c>).</summary>
    /// <exception cref="DbOpsMigrationException">Verification failed or a script failed (rolled back).</exception>
    public static async Task<DbOpsMigrationResult> MigrateAsync(DbDataSource dataSource, DbOpsProviderServices provider, IEnumerable<SqlScript> scripts,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(provider);
        var list = DbOpsMigrationScript.FromScripts(scripts);
        logger ??= NullLogger.Instance;
        var dialect = MigrationDialect.For(provider.Provider);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await dialect.AcquireLockAsync(connection, logger, cancellationToken).ConfigureAwait(false);
            try
            {
                var run = new Run(connection, dialect, provider, logger, cancellationToken);
                return await run.ExecuteAsync(list).ConfigureAwait(false);
            }
            finally
            {
                try
                {
                    await dialect.ReleaseLockAsync(connection).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException)
                {
                    // A broken connection has lost its session, and the lock with it.
                }
            }
        }
    }

    /// <summary>
    /// Dry run: the names of the scripts embedded in <paramref name="assembly"/> that <c>MigrateAsync</c> would apply, in
    /// order. Changes and creates nothing (no journal table yet, or no SQLite file yet, means everything is pending).
    /// </summary>
    /// <exception cref="DbOpsMigrationException">The journal does not match the scripts (as <c>MigrateAsync</c> would report).</exception>
    public static Task<IReadOnlyList<string>> GetPendingMigrationsAsync(DbDataSource dataSource, DbOpsProviderServices provider, Assembly assembly,
        CancellationToken cancellationToken = default) =>
        GetPendingMigrationsAsync(dataSource, provider, new DbOpsEmbeddedScriptProvider(assembly).GetScripts(), cancellationToken);

    /// <summary>Dry run over <paramref name="scripts"/>; see the <see cref="Assembly"/> overload.</summary>
    public static async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(DbDataSource dataSource, DbOpsProviderServices provider,
        IEnumerable<SqlScript> scripts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(provider);
        var list = DbOpsMigrationScript.FromScripts(scripts);
        var dialect = MigrationDialect.For(provider.Provider);
        var connection = await provider.OpenExistingAsync(dataSource, cancellationToken).ConfigureAwait(false);
        if (connection is null) return [.. list.Select(s => s.Name)];
        await using (connection.ConfigureAwait(false))
        {
            var applied = await ScalarAsync(connection, null, dialect.JournalExists, null, cancellationToken).ConfigureAwait(false) is null or DBNull
                ? []
                : await ReadJournalAsync(connection, dialect, cancellationToken).ConfigureAwait(false);
            Verify(list, applied);
            var skip = await ExistingBaselineAsync(connection, dialect, list, applied, cancellationToken).ConfigureAwait(false);
            return [.. list.Where(s => !applied.ContainsKey(s.Name) && s != skip).Select(s => s.Name)];
        }
    }

    /// <summary>
    /// The baseline to record without running: the first script when it is a baseline, nothing is journaled yet, and the
    /// database holds every table it lists. Null when the first script is no baseline, something is journaled, or the
    /// database holds none of its tables (then it runs). A database holding only some of them is refused.
    /// </summary>
    private static async Task<DbOpsMigrationScript?> ExistingBaselineAsync(DbConnection connection, MigrationDialect dialect,
        IReadOnlyList<DbOpsMigrationScript> scripts, IReadOnlyDictionary<string, string> applied, CancellationToken cancellationToken)
    {
        if (scripts.Count == 0 || scripts[0].BaselineTables is not { Count: > 0 } tables || applied.Count > 0) return null;
        var live = new HashSet<string>(dialect.TableNames);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = dialect.SelectTables;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) live.Add(reader.GetString(0));
        }
        var missing = tables.Where(t => !live.Contains(t)).ToList();
        if (missing.Count == tables.Count) return null;
        if (missing.Count == 0) return scripts[0];
        throw new DbOpsMigrationException(
            $"The database has no DbOps migrations applied and holds only some of the tables of the baseline '{scripts[0].Name}': " +
            $"missing {string.Join(", ", missing)} (present: {string.Join(", ", tables.Where(live.Contains))}). A baseline is run on a " +
            "database without any of its tables and recorded as applied on one that has all of them; nothing was changed. Point the " +
            "application at the database the baseline was imported from, or create the missing tables.", scripts[0].Name);
    }

    /// <summary>
    /// The scripts the journal records as applied, with the checksums they had (<see cref="DbOpsMigrationScript.ComputeChecksum"/>),
    /// or null when the database has no journal. Reads only; used by <c>DbOpsVerify</c>.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>?> ReadAppliedAsync(DbConnection connection, DbOpsProvider provider,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var dialect = MigrationDialect.For(provider);
        if (await ScalarAsync(connection, null, dialect.JournalExists, null, cancellationToken).ConfigureAwait(false) is null or DBNull) return null;
        return await ReadJournalAsync(connection, dialect, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Dictionary<string, string>> ReadJournalAsync(DbConnection connection, MigrationDialect dialect, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = dialect.SelectJournal;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql,
        string? scriptName, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        if (scriptName is not null) AddParameter(command, "@name", scriptName);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    /// <summary>Every journal row must be a script of the application, unchanged; nothing pending may precede an applied script.</summary>
    private static void Verify(IReadOnlyList<DbOpsMigrationScript> scripts, IReadOnlyDictionary<string, string> applied)
    {
        var byName = scripts.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var (name, checksum) in applied.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!byName.TryGetValue(name, out var script))
                throw new DbOpsMigrationException(
                    $"The database has migration '{name}' applied, but this application does not contain it: the database is newer " +
                    "than the application (or the script was renamed or deleted after it was applied). Run the application version " +
                    "that has it; DbOps does not migrate down, and refuses to run an older schema against a newer database.", name);
            if (!string.Equals(script.Checksum, checksum, StringComparison.Ordinal))
                throw Edited(script, checksum);
        }
        DbOpsMigrationScript? lastApplied = null;
        foreach (var s in scripts)
            if (applied.ContainsKey(s.Name)) lastApplied = s;
        var gap = scripts.FirstOrDefault(s => lastApplied is not null && s.Number < lastApplied.Number && !applied.ContainsKey(s.Name));
        if (gap is not null)
            throw new DbOpsMigrationException(
                $"Migration '{gap.Name}' is not applied but the later '{lastApplied!.Name}' is: scripts must be applied in order " +
                "(was it added on a branch after the database moved on?). Renumber it after the newest applied migration.", gap.Name);
    }

    private static DbOpsMigrationException Edited(DbOpsMigrationScript script, string journalChecksum) => new(
        $"Migration script '{script.Name}' was edited after it was applied to this database (journal checksum {journalChecksum}, " +
        $"script checksum {script.Checksum}). Applied migrations must not change: restore the original script and put the change " +
        "in a new migration.", script.Name);

    /// <summary>How often a step that hit the script's <c>lock_timeout</c> (PostgreSQL 55P03) is run again before the migration fails.</summary>
    public const int LockRetries = 5;

    /// <summary>The wait before the first retry of a timed-out step; the n-th retry waits n times as long.</summary>
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>One MigrateAsync run on one connection.</summary>
    private sealed class Run(DbConnection connection, MigrationDialect dialect, DbOpsProviderServices provider, ILogger logger, CancellationToken cancellationToken)
    {
        private readonly bool _sqlite = provider.Provider == DbOpsProvider.Sqlite;

        public async Task<DbOpsMigrationResult> ExecuteAsync(IReadOnlyList<DbOpsMigrationScript> scripts)
        {
            Dictionary<string, string> applied = [];
            DbOpsMigrationScript? baseline = null;
            // Everything is checked before the journal is created, so a refused database is left exactly as it was.
            await BusyRetryAsync(async () =>
            {
                applied = await ScalarAsync(connection, null, dialect.JournalExists, null, cancellationToken).ConfigureAwait(false) is null or DBNull
                    ? []
                    : await ReadJournalAsync(connection, dialect, cancellationToken).ConfigureAwait(false);
                Verify(scripts, applied);
                baseline = await ExistingBaselineAsync(connection, dialect, scripts, applied, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            await BusyRetryAsync(() => ExecAsync(dialect.CreateJournal, null)).ConfigureAwait(false);
            var appliedNow = new List<string>();
            var already = 0;
            string? recorded = null;
            foreach (var script in scripts)
            {
                if (applied.ContainsKey(script.Name))
                {
                    already++;
                    continue;
                }
                if (script == baseline)
                {
                    if (await RecordBaselineAsync(script).ConfigureAwait(false))
                    {
                        recorded = script.Name;
                        MigrationLog.Baselined(logger, script.Name, null);
                    }
                    else
                    {
                        already++;
                        MigrationLog.AppliedByOther(logger, script.Name, null);
                    }
                    continue;
                }
                MigrationLog.Applying(logger, script.Name, null);
                var stopwatch = Stopwatch.StartNew();
                bool done;
                try
                {
                    done = _sqlite ? await ApplySqliteAsync(script).ConfigureAwait(false) : await ApplyLockedAsync(script).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    MigrationLog.Failed(logger, script.Name, ex);
                    throw;
                }
                if (done)
                {
                    appliedNow.Add(script.Name);
                    MigrationLog.Applied(logger, script.Name, stopwatch.ElapsedMilliseconds, null);
                    DbOpsTelemetry.MigrationsApplied.Add(1, new KeyValuePair<string, object?>("dbops.migration.name", script.Name));
                }
                else
                {
                    already++;
                    MigrationLog.AppliedByOther(logger, script.Name, null);
                }
            }
            MigrationLog.Done(logger, appliedNow.Count, already, null);
            return new DbOpsMigrationResult(appliedNow, already, recorded);
        }

        /// <summary>
        /// Journals a baseline whose tables the database already holds, without running it: under the run's lock, or on
        /// SQLite in an exclusive transaction that re-reads the journal (false: another instance recorded or applied it).
        /// </summary>
        private async Task<bool> RecordBaselineAsync(DbOpsMigrationScript script)
        {
            if (!_sqlite)
            {
                await InsertJournalRowAsync(script, null).ConfigureAwait(false);
                return true;
            }
            await BusyRetryAsync(() => ExecAsync("BEGIN EXCLUSIVE", null)).ConfigureAwait(false);
            try
            {
                if (await ScalarAsync(connection, null, dialect.SelectJournalRow, script.Name, cancellationToken).ConfigureAwait(false) is string checksum)
                {
                    await ExecAsync("ROLLBACK", null).ConfigureAwait(false);
                    if (!string.Equals(checksum, script.Checksum, StringComparison.Ordinal)) throw Edited(script, checksum);
                    return false;
                }
                await InsertJournalRowAsync(script, null).ConfigureAwait(false);
                await ExecAsync("COMMIT", null).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is not DbOpsMigrationException)
            {
                await RollbackQuietlyAsync(null).ConfigureAwait(false);
                throw Wrap(script, ex, ranOutside: false, journaled: false);
            }
        }

        /// <summary>
        /// PostgreSQL / SQL Server, under the run's lock: groups of pieces (a run of transactional pieces in one transaction,
        /// or a run of no-transaction pieces), the journal row with the last one. A group that fails because a lock was not
        /// granted within the script's <c>lock_timeout</c> is run again, up to <see cref="LockRetries"/> times: a
        /// transaction is rolled back first, a run of no-transaction pieces starts again at its first piece (those pieces
        /// are safe to run again). A transactional group followed by more groups records its completion (in the same
        /// transaction, in <see cref="MigrationDialect.ProgressTable"/>), so a rerun after a later failure skips it.
        /// </summary>
        private async Task<bool> ApplyLockedAsync(DbOpsMigrationScript script)
        {
            var groups = Groups(script.Pieces);
            var resumeAt = await ReadProgressAsync(script).ConfigureAwait(false);
            var ranOutside = false;
            var journaled = false;
            var usedProgress = resumeAt > 0;
            for (var g = 0; g < groups.Count; g++)
            {
                var (start, end, inTransaction) = groups[g];
                var isLast = g == groups.Count - 1;
                if (inTransaction && g < resumeAt) continue; // committed by an earlier, interrupted run
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        if (inTransaction)
                        {
                            var recordProgress = !isLast && dialect.ProgressTable is not null;
                            if (recordProgress && !usedProgress)
                            {
                                await ExecAsync(dialect.CreateProgress!, null).ConfigureAwait(false);
                                usedProgress = true;
                            }
                            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                            await using (transaction.ConfigureAwait(false))
                            {
                                try
                                {
                                    for (var k = start; k < end; k++) await ExecAsync(script.Pieces[k].Sql, transaction).ConfigureAwait(false);
                                    if (isLast) await JournalAsync(script, transaction, usedProgress).ConfigureAwait(false);
                                    else if (recordProgress) await WriteProgressAsync(script, g + 1, transaction).ConfigureAwait(false);
                                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                                    journaled = isLast;
                                }
                                catch
                                {
                                    await RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                                    throw;
                                }
                            }
                        }
                        else
                        {
                            for (var k = start; k < end; k++)
                            {
                                ranOutside = true;
                                await ExecAsync(script.Pieces[k].Sql, null).ConfigureAwait(false);
                            }
                        }
                        break;
                    }
                    catch (DbException ex) when (IsLockTimeout(ex) && attempt <= LockRetries)
                    {
                        MigrationLog.LockTimeout(logger, script.Name, attempt, LockRetries, null);
                        await Task.Delay(LockRetryDelay * attempt, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        throw Wrap(script, ex, ranOutside, journaled: false);
                    }
                }
            }
            if (!journaled)
            {
                try
                {
                    await JournalAsync(script, null, usedProgress).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    throw Wrap(script, ex, ranOutside, journaled: false);
                }
            }
            return true;
        }

        /// <summary>Runs of pieces with the same transaction mode: (first piece, end, in transaction).</summary>
        private static List<(int Start, int End, bool InTransaction)> Groups(IReadOnlyList<DbOpsScriptPiece> pieces)
        {
            var groups = new List<(int, int, bool)>();
            for (var i = 0; i < pieces.Count;)
            {
                var end = i;
                while (end < pieces.Count && pieces[end].InTransaction == pieces[i].InTransaction) end++;
                groups.Add((i, end, pieces[i].InTransaction));
                i = end;
            }
            return groups;
        }

        /// <summary>PostgreSQL 55P03 lock_not_available: a lock was not granted within lock_timeout.</summary>
        private static bool IsLockTimeout(DbException ex) => ex.SqlState == "55P03";

        /// <summary>The first group an interrupted earlier run did not finish (0: none recorded).</summary>
        private async Task<int> ReadProgressAsync(DbOpsMigrationScript script)
        {
            if (dialect.ProgressTable is null
                || await ScalarAsync(connection, null, dialect.ProgressExists!, null, cancellationToken).ConfigureAwait(false) is null or DBNull)
                return 0;
            await using var command = connection.CreateCommand();
            command.CommandText = dialect.SelectProgress!;
            AddParameter(command, "@name", script.Name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return 0;
            var checksum = reader.GetString(0);
            if (!string.Equals(checksum, script.Checksum, StringComparison.Ordinal))
                throw new DbOpsMigrationException(
                    $"Migration script '{script.Name}' was partly applied by an interrupted run (checksum {checksum}) and has been edited since " +
                    $"(checksum {script.Checksum}). Restore the original script so that the migrator can finish it.", script.Name);
            return reader.GetInt32(1);
        }

        private async Task WriteProgressAsync(DbOpsMigrationScript script, int nextGroup, DbTransaction transaction)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = dialect.UpsertProgress!;
            command.Transaction = transaction;
            AddParameter(command, "@name", script.Name);
            AddParameter(command, "@checksum", script.Checksum);
            var p = command.CreateParameter();
            p.ParameterName = "@next";
            p.Value = nextGroup;
            command.Parameters.Add(p);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The journal row; with it, the script's progress row goes, and the progress table once it is empty.</summary>
        private async Task JournalAsync(DbOpsMigrationScript script, DbTransaction? transaction, bool usedProgress)
        {
            await InsertJournalRowAsync(script, transaction).ConfigureAwait(false);
            if (!usedProgress) return;
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = dialect.DeleteProgress!;
                command.Transaction = transaction;
                AddParameter(command, "@name", script.Name);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            // Nothing is left half done: the bookkeeping table goes, so a finished database has only the journal.
            if (await ScalarAsync(connection, transaction, dialect.AnyProgress!, null, cancellationToken).ConfigureAwait(false) is null or DBNull)
                await ExecAsync(dialect.DropProgress!, transaction).ConfigureAwait(false);
        }

        /// <summary>
        /// SQLite: leading no-transaction pieces; BEGIN EXCLUSIVE; journal re-read (another instance may have applied the
        /// script since the journal was read); the transactional pieces and the journal row; COMMIT; trailing pieces.
        /// </summary>
        private async Task<bool> ApplySqliteAsync(DbOpsMigrationScript script)
        {
            var pieces = script.Pieces;
            var first = -1;
            var last = -1;
            for (var k = 0; k < pieces.Count; k++)
            {
                if (!pieces[k].InTransaction) continue;
                if (first < 0) first = k;
                last = k;
            }
            if (first >= 0)
                for (var k = first; k < last; k++)
                    if (!pieces[k].InTransaction)
                        throw new DbOpsMigrationException(
                            $"Migration script '{script.Name}' has a no-transaction section between transactional statements; on SQLite " +
                            "no-transaction sections (PRAGMA foreign_keys) may only come before the first or after the last transactional " +
                            "statement, since the script's statements run in one exclusive transaction.", script.Name);
            var leadingEnd = first < 0 ? pieces.Count : first;
            var foreignKeys = await ScalarAsync(connection, null, "PRAGMA foreign_keys", null, cancellationToken).ConfigureAwait(false);
            var ranOutside = false;
            try
            {
                try
                {
                    for (var k = 0; k < leadingEnd; k++)
                    {
                        ranOutside = true;
                        await ExecAsync(pieces[k].Sql, null).ConfigureAwait(false);
                    }
                }
                catch (Exception ex)
                {
                    throw Wrap(script, ex, ranOutside, journaled: false);
                }

                await BusyRetryAsync(() => ExecAsync("BEGIN EXCLUSIVE", null)).ConfigureAwait(false);
                try
                {
                    var existing = await ScalarAsync(connection, null, dialect.SelectJournalRow, script.Name, cancellationToken).ConfigureAwait(false);
                    if (existing is string checksum)
                    {
                        await ExecAsync("ROLLBACK", null).ConfigureAwait(false);
                        if (!string.Equals(checksum, script.Checksum, StringComparison.Ordinal)) throw Edited(script, checksum);
                        return false;
                    }
                    for (var k = leadingEnd; k <= last; k++) await ExecAsync(pieces[k].Sql, null).ConfigureAwait(false);
                    await InsertJournalRowAsync(script, null).ConfigureAwait(false);
                    await ExecAsync("COMMIT", null).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not DbOpsMigrationException)
                {
                    await RollbackQuietlyAsync(null).ConfigureAwait(false);
                    throw Wrap(script, ex, ranOutside, journaled: false);
                }

                try
                {
                    for (var k = Math.Max(last + 1, leadingEnd); k < pieces.Count; k++)
                        await ExecAsync(pieces[k].Sql, null).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    throw Wrap(script, ex, ranOutside: true, journaled: true);
                }
                return true;
            }
            finally
            {
                // PRAGMAs of the script (or of a failed one) must not leak into the pooled connection.
                if (foreignKeys is long fk)
                    await ExecAsync($"PRAGMA foreign_keys = {fk}", null).ConfigureAwait(false);
            }
        }

        private static Exception Wrap(DbOpsMigrationScript script, Exception ex, bool ranOutside, bool journaled)
        {
            if (ex is OperationCanceledException or DbOpsMigrationException) return ex;
            var what = journaled
                ? "failed in a no-transaction section after it was applied and recorded"
                : ranOutside
                    ? "failed; its transaction was rolled back, but its no-transaction sections that already ran are not undone " +
                      "(they are safe to run again: run the migration again to finish it)"
                    : "failed and was rolled back";
            return new DbOpsMigrationException($"Migration {script.Name} {what}: {ex.Message}", script.Name, ex);
        }

        private async Task ExecAsync(string sql, DbTransaction? transaction)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            // Migrations may run long (index builds). SQLite's CommandTimeout is its busy wait and keeps its default.
            if (!_sqlite) command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task InsertJournalRowAsync(DbOpsMigrationScript script, DbTransaction? transaction)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = dialect.InsertJournalRow;
            command.Transaction = transaction;
            AddParameter(command, "@name", script.Name);
            AddParameter(command, "@checksum", script.Checksum);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task RollbackQuietlyAsync(DbTransaction? transaction)
        {
            try
            {
                if (transaction is not null) await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                else
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "ROLLBACK";
                    await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // SQLite rolls back by itself on some errors; a broken connection has rolled back server-side.
            }
        }

        /// <summary>Retries <paramref name="action"/> while another connection holds the database (SQLite, beyond busy_timeout; other providers wait in the server).</summary>
        private async Task BusyRetryAsync(Func<Task> action)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await action().ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (provider.IsBusy(e))
                {
                    MigrationLog.Busy(logger, attempt, null);
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
