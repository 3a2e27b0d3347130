namespace DbOps.Runtime;

/// <summary>Base of every exception DbOps-generated code throws for database or validation problems.</summary>
public class DbOpsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DbOpsException(string message, Exception? innerException = null) : base(message, innerException) { }
}
