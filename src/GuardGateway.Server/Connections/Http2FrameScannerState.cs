namespace GuardGateway.Server.Connections;

/// <summary>Where a <see cref="Http2FrameScanner"/> is in a connection's inbound bytes.</summary>
internal enum Http2FrameScannerState
{
    /// <summary>Matching the client preface.</summary>
    Preface,

    /// <summary>Following frames.</summary>
    Frames,

    /// <summary>The first bytes were not the preface: nothing is parsed.</summary>
    NotHttp2,
}
