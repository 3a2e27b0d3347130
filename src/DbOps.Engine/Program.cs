using DbOps.Engine;

// The DbOps engine: run by the DbOps.Sdk MSBuild task as `dotnet exec DbOps.Engine.dll <command> --settings <file>`.
// Diagnostics go to stdout in MSBuild's canonical form; exit code 0 = success, 1 = errors reported, 2 = usage.
return EngineMain.Run(args, Console.Out);
