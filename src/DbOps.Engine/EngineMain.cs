using DbOps.Engine.Commands;
using DbOps.Schema.Diagnostics;

namespace DbOps.Engine;

internal static class EngineMain
{
    public static int Run(string[] args, TextWriter output)
    {
        var log = new EngineLog(output);
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help")
            {
                output.WriteLine("usage: DbOps.Engine <generate|add-migration|script|rehash|import|verify> --settings <file> [--design-time] [--name <Name>] [--kind <schema|data|schema+data>] [--out <path>] [--force]");
                return 2;
            }
            var command = args[0];
            var options = CommandLine.Parse(args.AsSpan(1));
            if (options.SettingsFile is null)
            {
                log.Report(EngineDiagnostics.UsageError("--settings <file> is required."));
                return 2;
            }
            var settings = EngineSettings.Load(options.SettingsFile);
            return command switch
            {
                "generate" => new GenerateCommand(settings, options, log).Run(),
                "add-migration" => new AddMigrationCommand(settings, options, log).Run(),
                "rehash" => new RehashCommand(settings, log).Run(),
                "script" => new ScriptCommand(settings, options, log).Run(),
                "import" => new ImportCommand(settings, options, log).Run(),
                "verify" => new VerifyCommand(settings, log).Run(),
                _ => Usage(log, $"unknown command '{command}'."),
            };
        }
        catch (EngineException e)
        {
            log.Report(e.Diagnostic);
            return 1;
        }
        catch (Exception e)
        {
            // Never a stack trace in a build log (set DBOPS_DEBUG=1 to see one).
            log.Report(EngineDiagnostics.InternalError(e));
            if (Environment.GetEnvironmentVariable("DBOPS_DEBUG") == "1") output.WriteLine(e);
            return 1;
        }
    }

    private static int Usage(EngineLog log, string message)
    {
        log.Report(EngineDiagnostics.UsageError(message));
        return 2;
    }
}

internal sealed record CommandLineOptions(string? SettingsFile, bool DesignTime, string? Name, string? OutPath, string? Kind = null, bool Force = false);

internal static class CommandLine
{
    public static CommandLineOptions Parse(ReadOnlySpan<string> args)
    {
        string? settings = null, name = null, outPath = null, kind = null;
        var designTime = false;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--settings" when i + 1 < args.Length: settings = args[++i]; break;
                // An empty MSBuild property drops the value: "--name" alone means "no name" (the command says so).
                case "--name": name = i + 1 < args.Length ? args[++i] : null; break;
                case "--kind": kind = i + 1 < args.Length ? args[++i] : null; break;
                case "--out": outPath = i + 1 < args.Length ? args[++i] : null; break;
                case "--design-time": designTime = true; break;
                case "--force": force = true; break;
                default: throw new EngineException(EngineDiagnostics.UsageError($"unknown argument '{args[i]}'."));
            }
        }
        return new CommandLineOptions(settings, designTime, name, outPath, kind, force);
    }
}

/// <summary>Writes diagnostics (canonical form) and the one summary line.</summary>
internal sealed class EngineLog(TextWriter output)
{
    public int Errors { get; private set; }
    public void Report(Diagnostic d)
    {
        if (d.IsError) Errors++;
        output.WriteLine(d.ToCanonicalString());
    }
    public void ReportAll(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var d in diagnostics) Report(d);
    }
    public void Info(string line) => output.WriteLine(line);
}

internal sealed class EngineException(Diagnostic diagnostic) : Exception(diagnostic.Message)
{
    public Diagnostic Diagnostic { get; } = diagnostic;
}
