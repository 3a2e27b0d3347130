using DbOps.Engine.Commands;

namespace DbOps.Engine.Tests;

public class ConnectionSecretsTests
{
    [Theory]
    [InlineData("Host=db;Username=app;Password=s3cr3t;Database=shop", "Host=db;Username=app;Database=shop")]
    [InlineData("Host=db;Database=shop;PWD='a;b''c'", "Host=db;Database=shop")]
    [InlineData("Server=db;User Id=sa;password=\"p;w\";Encrypt=true", "Server=db;User Id=sa;Encrypt=true")]
    [InlineData("Data Source=app.db", "Data Source=app.db")]
    public void The_target_is_the_connection_string_without_its_password(string cs, string target) =>
        Assert.Equal(target, new ConnectionSecrets(cs).Target);

    [Fact]
    public void A_message_that_quotes_the_password_is_redacted()
    {
        var secrets = new ConnectionSecrets("Host=db;Password=hunter22;Database=x");
        Assert.Equal("login failed: *** is wrong", secrets.Redact("login failed: hunter22 is wrong"));
    }
}
