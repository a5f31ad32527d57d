namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>Bytes behind a non-seekable stream, so <c>StreamContent</c> sends them chunked, without a Content-Length.</summary>
internal sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    public override bool CanSeek => false;
}
