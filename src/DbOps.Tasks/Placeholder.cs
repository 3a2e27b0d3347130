namespace DbOps.Tasks { internal static class Placeholder { } }
