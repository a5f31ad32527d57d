namespace GuardGateway.Backends.Configuration;

/// <summary>Where input tensor data goes in a KServe v2 request.</summary>
public enum KServeTensorEncoding
{
    /// <summary>Typed fields of <c>InferTensorContents</c> (<c>bytes_contents</c>, <c>int_contents</c>, <c>bool_contents</c>).</summary>
    BytesContents,

    /// <summary><c>raw_input_contents</c>: little-endian raw bytes, BYTES elements each prefixed by a 4-byte length.</summary>
    RawContents,
}
