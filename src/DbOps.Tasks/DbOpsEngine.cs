using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DbOps.Tasks
{
    /// <summary>
    /// Runs the DbOps engine (a separate .NET process) with one command: generate, add-migration or script.
    /// The engine prints diagnostics in MSBuild's canonical form (<c>file(line,col): error DBOPS1003: ...</c>),
    /// which <see cref="ToolTask"/> turns into real errors and warnings. Nothing of EF Core, YamlDotNet or the
    /// database drivers is loaded into MSBuild: this assembly references only MSBuild itself.
    /// </summary>
    public sealed class DbOpsEngine : ToolTask
    {
        /// <summary>Engine command: generate | add-migration | script.</summary>
        [Required] public string Command { get; set; } = "";

        /// <summary>Full path of DbOps.Engine.dll.</summary>
        [Required] public string EngineAssembly { get; set; } = "";

        /// <summary>The settings file MSBuild wrote for this project (one key=value per line).</summary>
        [Required] public string SettingsFile { get; set; } = "";

        /// <summary>The dotnet host running this build ($(DOTNET_HOST_PATH)); falls back to dotnet on PATH.</summary>
        public string? DotnetHostPath { get; set; }

        /// <summary>True in IDE design-time builds: generate code, never fail on drift.</summary>
        public bool DesignTime { get; set; }

        /// <summary>Extra engine arguments (e.g. --name AddPhone for add-migration).</summary>
        public string[]? Arguments { get; set; }

        /// <summary>
        /// A connection string for the engine (DbOpsConnectionString). It reaches the engine only as the environment
        /// variable DBOPS_CONNECTION_STRING, set on the process directly: never on the command line, in a file, or in
        /// ToolTask's log of environment variables. Empty: the engine sees the variable of the build's own environment.
        /// </summary>
        public string? ConnectionString { get; set; }

        protected override string ToolName => Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet";

        // The build's summary line is the one message users see at normal verbosity; what add-migration, script and
        // rehash wrote is what the user asked for, so it shows at the default (minimal) verbosity too.
        protected override MessageImportance StandardOutputLoggingImportance =>
            Command == "generate" ? MessageImportance.Normal : MessageImportance.High;
        protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

        protected override string GenerateFullPathToTool()
        {
            if (!string.IsNullOrEmpty(DotnetHostPath) && File.Exists(DotnetHostPath)) return DotnetHostPath!;
            var fromEnv = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv)) return fromEnv!;
            return ToolName; // resolved on PATH by the OS
        }

        protected override bool ValidateParameters()
        {
            if (!File.Exists(EngineAssembly))
            {
                Log.LogError(null, "DBOPS9001", null, null, 0, 0, 0, 0,
                    "The DbOps engine was not found at '{0}'. The DbOps.Sdk package may be incomplete; clear the NuGet cache entry for DbOps.Sdk and restore again.",
                    EngineAssembly);
                return false;
            }
            return base.ValidateParameters();
        }

        protected override string GenerateCommandLineCommands()
        {
            var b = new CommandLineBuilder();
            b.AppendSwitch("exec");
            b.AppendFileNameIfNotNull(EngineAssembly);
            b.AppendSwitch(Command);
            b.AppendSwitchIfNotNull("--settings ", SettingsFile);
            if (DesignTime) b.AppendSwitch("--design-time");
            if (Arguments != null)
                foreach (var a in Arguments) b.AppendTextUnquoted(" " + Quote(a));
            return b.ToString();
        }

        private static string Quote(string s) =>
            s.Length > 0 && s.IndexOfAny(new[] { ' ', '"', '\t' }) < 0 ? s : "\"" + s.Replace("\"", "\\\"") + "\"";

        protected override System.Diagnostics.ProcessStartInfo GetProcessStartInfo(string pathToTool, string commandLineCommands, string responseFileSwitch)
        {
            var startInfo = base.GetProcessStartInfo(pathToTool, commandLineCommands, responseFileSwitch);
            if (!string.IsNullOrEmpty(ConnectionString)) startInfo.Environment["DBOPS_CONNECTION_STRING"] = ConnectionString;
            return startInfo;
        }

        protected override void LogToolCommand(string message) => Log.LogMessage(MessageImportance.Low, message);

        protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
        {
            var exit = base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
            if (exit != 0 && !Log.HasLoggedErrors)
            {
                Log.LogError(null, "DBOPS9002", null, null, 0, 0, 0, 0,
                    "The DbOps engine exited with code {0} without reporting an error. Run the build with -v:detailed to see its output.", exit);
            }
            return exit;
        }

        // A non-zero exit already produced coded errors; don't add MSBuild's generic "exited with code" error.
        protected override bool HandleTaskExecutionErrors() => !Log.HasLoggedErrors && base.HandleTaskExecutionErrors();
    }
}
