namespace GuardGateway.Bench.Load.Rig;

/// <summary>Which front of the gateway a request goes to.</summary>
internal enum Front
{
    /// <summary>OpenAI-compatible <c>POST /v1/chat/completions</c> (HTTP/1.1).</summary>
    Http,

    /// <summary><c>guardgateway.v1.Chat/Complete</c> (gRPC, HTTP/2).</summary>
    Grpc,

    /// <summary>Even requests HTTP, odd gRPC.</summary>
    Both,
}
