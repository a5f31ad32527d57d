using System.Buffers;
using System.Security.Cryptography;

namespace GuardGateway.Inference.Models;

/// <summary>Streamed SHA-256 of a file (model weights can be tens of GB: never read whole).</summary>
public static class Sha256File
{
    /// <summary>Length of a SHA-256 digest in hex characters.</summary>
    public const int HexLength = 64;

    // 1 MiB reads: few system calls, and a pooled buffer keeps a 16 GB model from churning the heap.
    private const int ChunkBytes = 1 << 20;

    /// <summary>The lowercase hex SHA-256 of <paramref name="path"/>.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires between chunks.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    public static string Compute(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // bufferSize 1: no FileStream buffer, the chunks are already large.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, ChunkBytes)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
