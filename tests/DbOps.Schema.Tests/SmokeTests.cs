namespace DbOps.Schema.Tests;

public class SmokeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ValidSchemasLoadWithoutDiagnostics(int index)
    {
        var r = TestUtil.Load(Schemas.All[index]);
        Assert.True(r.Diagnostics.Count == 0, TestUtil.Dump(r));
        Assert.NotNull(r.Model);
    }
}
