namespace DbOps.Sql;
internal static class Placeholder { }
