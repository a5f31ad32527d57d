using System.Buffers.Binary;
using System.Net;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>
/// A gRPC request body that declares a message of <c>declaredLength</c> bytes in its 5-byte prefix, sends only
/// <c>sentBytes</c> of it and then stalls until disposed: the server must judge the message by its declared length.
/// </summary>
internal sealed class StalledGrpcBody : HttpContent
{
    private readonly int declaredLength;
    private readonly int sentBytes;
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StalledGrpcBody(int declaredLength, int sentBytes)
    {
        this.declaredLength = declaredLength;
        this.sentBytes = sentBytes;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var head = new byte[5 + sentBytes];
        BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(1, 4), declaredLength);
        await stream.WriteAsync(head, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        await released.Task.WaitAsync(cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        released.TrySetResult();
        base.Dispose(disposing);
    }
}
