namespace DbOps.CodeGen;
internal static class Placeholder { }
