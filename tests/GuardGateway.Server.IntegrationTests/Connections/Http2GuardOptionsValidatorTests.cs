using GuardGateway.Server.Options;

namespace GuardGateway.Server.IntegrationTests.Connections;

public sealed class Http2GuardOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new Http2GuardOptionsValidator().Validate(null, new Http2GuardOptions()).Succeeded);

    [Theory]
    [InlineData(0, 100, "PingsPerSecond")]
    [InlineData(double.NaN, 100, "PingsPerSecond")]
    [InlineData(10, 0, "PingBurst")]
    [InlineData(2_000_000, 100, "PingsPerSecond")]
    public void Validate_OutOfRange_NamesTheKey(double perSecond, int burst, string key)
    {
        var result = new Http2GuardOptionsValidator().Validate(null, new Http2GuardOptions { PingsPerSecond = perSecond, PingBurst = burst });

        Assert.True(result.Failed);
        Assert.Contains("Http2Guard:" + key, result.FailureMessage, StringComparison.Ordinal);
    }
}
