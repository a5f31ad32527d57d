using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

public sealed class IPAddressDetectorTests
{
    private static readonly IPv4Detector V4 = new();
    private static readonly IPv6Detector V6 = new();

    [Theory]
    [InlineData("192.168.1.1")]
    [InlineData("10.0.0.255")]
    [InlineData("8.8.8.8")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    public void DetectV4_ValidAddress_FindsExactSpan(string address) => Detect.AssertFoundInProse(V4, address);

    [Theory]
    [InlineData("999.1.1.1")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3")]
    [InlineData("version 1.2.3.4.5")]
    [InlineData("01.02.03.04")]
    [InlineData("v1.2.3.4")]
    [InlineData("pi is 3.14159")]
    [InlineData("1234.1.1.1")]
    [InlineData("10.0.0.1.2")]
    public void DetectV4_NotAnAddress_FindsNothing(string text) => Assert.Empty(Detect.With(V4, text));

    [Fact]
    public void DetectV4_AddressWithPort_FindsAddressOnly()
    {
        Assert.Equal(["10.0.0.1", "192.168.0.7"], Detect.With(V4, "Connect to 10.0.0.1:8080 or http://192.168.0.7/admin"));
    }

    [Theory]
    [InlineData("2001:db8::1")]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334")]
    [InlineData("fe80::1ff:fe23:4567:890a")]
    [InlineData("::ffff:192.0.2.128")]
    [InlineData("2001:db8::")]
    [InlineData("2001:DB8:0:0:8:800:200C:417A")]
    public void DetectV6_ValidAddress_FindsExactSpan(string address) => Detect.AssertFoundInProse(V6, address);

    [Fact]
    public void DetectV6_AddressAtSentenceEnd_ExcludesPunctuation()
    {
        Assert.Equal(["fe80::1"], Detect.With(V6, "Use fe80::1."));
        Assert.Equal(["2001:db8::2"], Detect.With(V6, "The host 2001:db8::2: reachable"));
    }

    [Theory]
    [InlineData("The meeting is at 10:30:00 today")]
    [InlineData("MAC 00:1A:2B:3C:4D:5E")]
    [InlineData("use std::vector here")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("2001:db8::1::2")]
    [InlineData("12345::1")]
    [InlineData("loopback ::1")]
    [InlineData("::ffff:999.0.2.128")]
    public void DetectV6_NotAnAddress_FindsNothing(string text) => Assert.Empty(Detect.With(V6, text));
}
