using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace DbOps.Testing;

/// <summary>
/// A real, throwaway PostgreSQL server for the tests of one test assembly: initdb into a temp folder
/// (as the <c>postgres</c> user when running as root, since initdb refuses root), pg_ctl start on a free
/// loopback port, stopped and deleted when the process exits.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(() => Start(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The assembly-wide server (started on first use).</summary>
    public static PostgresServer Instance => Shared.Value;

    public string BinDir { get; }
    public string DataDir { get; }
    public int Port { get; }
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=30";

    private PostgresServer(string binDir, string dataDir, int port)
    {
        BinDir = binDir;
        DataDir = dataDir;
        Port = port;
    }

    /// <summary>Folder of initdb/pg_ctl/psql, or null when PostgreSQL server binaries are not installed.</summary>
    public static string? FindBinDir()
    {
        var fromEnv = Environment.GetEnvironmentVariable("DBOPS_PG_BINDIR");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "initdb"))) return fromEnv;
        if (ProcessRunner.Which("pg_config") is { } pgConfig)
        {
            var r = ProcessRunner.Run(pgConfig, ["--bindir"]);
            var dir = r.StdOut.Trim();
            if (r.ExitCode == 0 && File.Exists(Path.Combine(dir, "initdb"))) return dir;
        }
        if (Directory.Exists("/usr/lib/postgresql"))
            foreach (var v in Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d))
                if (File.Exists(Path.Combine(v, "bin", "initdb"))) return Path.Combine(v, "bin");
        return null;
    }

    /// <summary>CI (CI=true) and DBOPS_REQUIRE_POSTGRES=1 turn a missing server into failures rather than skips.</summary>
    public static bool Required =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("DBOPS_REQUIRE_POSTGRES") == "1";

    private static bool IsRoot => Environment.UserName == "root";

    private static PostgresServer Start()
    {
        var bin = FindBinDir() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found: install postgresql (Debian: apt-get install postgresql) or set DBOPS_PG_BINDIR.");
        RemoveStaleServers(bin);
        var root = Path.Combine(Path.GetTempPath(), $"dbops-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(root);
        var data = Path.Combine(root, "data");
        if (IsRoot) ProcessRunner.Run("chown", ["postgres:postgres", root]);

        Check(RunAsPostgres(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]), "initdb");
        // Retry on a port race: another process may take the port between probing and binding.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var start = RunAsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start"]);
            if (start.ExitCode == 0)
            {
                var server = new PostgresServer(bin, data, port);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(root);
                return server;
            }
            if (attempt >= 3)
            {
                var log = File.Exists(Path.Combine(root, "server.log")) ? File.ReadAllText(Path.Combine(root, "server.log")) : "";
                throw new InvalidOperationException($"pg_ctl start failed: {start}\n{log}");
            }
        }
    }

    /// <summary>
    /// A test host that is killed (or ends before ProcessExit finishes) leaves its server folder behind, a few
    /// hundred MB each. Folders whose owning process is gone are stopped (if still running) and deleted.
    /// </summary>
    private static void RemoveStaleServers(string bin)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "dbops-pg-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var pid) || IsAlive(pid)) continue;
            try
            {
                if (Directory.Exists(Path.Combine(dir, "data")))
                    RunAsPostgres(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "stop"]);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception) { /* another run may be cleaning it up too */ }
        }
    }

    private static bool IsAlive(int pid)
    {
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private void Stop(string root)
    {
        try
        {
            RunAsPostgres(Path.Combine(BinDir, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
            Directory.Delete(root, recursive: true);
        }
        catch (Exception) { /* best effort at process exit */ }
    }

    private static ProcessResult RunAsPostgres(string program, string[] args) =>
        IsRoot ? ProcessRunner.Run("runuser", ["-u", "postgres", "--", program, .. args], workingDirectory: "/tmp")
               : ProcessRunner.Run(program, args);

    private static void Check(ProcessResult r, string what)
    {
        if (r.ExitCode != 0) throw new InvalidOperationException($"{what} failed: {r}");
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public string CreateDatabase(string? prefix = null)
    {
        var name = $"{prefix ?? "t"}_{Guid.NewGuid():N}"[..Math.Min(40, (prefix ?? "t").Length + 21)].ToLowerInvariant();
        using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            cmd.ExecuteNonQuery();
        }
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=30";
    }

    /// <summary>
    /// A login role that must give its password (scram-sha-256; everyone else keeps trust), owning a fresh database.
    /// Returns the connection string with the password, to test that it never shows in any output.
    /// </summary>
    public string CreatePasswordUser(string user, string password)
    {
        var cs = CreateDatabase("pw");
        var database = new NpgsqlConnectionStringBuilder(cs).Database!;
        using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand(
                $"SET password_encryption = 'scram-sha-256'; CREATE ROLE \"{user}\" LOGIN PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'; " +
                $"ALTER DATABASE \"{database}\" OWNER TO \"{user}\"", conn);
            cmd.ExecuteNonQuery();
        }
        lock (HbaLock)
        {
            var hba = Path.Combine(DataDir, "pg_hba.conf");
            var line = $"host all {user} 127.0.0.1/32 scram-sha-256\n";
            var text = File.ReadAllText(hba);
            if (!text.Contains(line, StringComparison.Ordinal)) File.WriteAllText(hba, line + text);
            using var conn = new NpgsqlConnection(AdminConnectionString);
            conn.Open();
            using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", conn);
            reload.ExecuteNonQuery();
        }
        Thread.Sleep(500); // the postmaster rereads pg_hba.conf on SIGHUP
        return $"Host=127.0.0.1;Port={Port};Username={user};Password={password};Database={database};Timeout=30";
    }

    private static readonly object HbaLock = new();

    /// <summary>Runs a script with the real psql client (ON_ERROR_STOP), as a user would.</summary>
    public ProcessResult Psql(string connectionString, string scriptPath)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return ProcessRunner.Run(Path.Combine(BinDir, "psql"),
            ["-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", "-d", b.Database!, "-f", scriptPath]);
    }
}

/// <summary>
/// A fact that needs the real PostgreSQL server. Where the binaries are absent it is skipped with the reason,
/// except under CI or DBOPS_REQUIRE_POSTGRES=1, where it runs and fails.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.FindBinDir() is null && !PostgresServer.Required)
            Skip = "PostgreSQL server binaries not found (apt-get install postgresql, or set DBOPS_PG_BINDIR); CI requires them.";
    }
}

/// <summary>The theory counterpart of <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.FindBinDir() is null && !PostgresServer.Required)
            Skip = "PostgreSQL server binaries not found (apt-get install postgresql, or set DBOPS_PG_BINDIR); CI requires them.";
    }
}
