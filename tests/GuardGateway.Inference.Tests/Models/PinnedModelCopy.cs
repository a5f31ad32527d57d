using System.Security.Cryptography;

namespace GuardGateway.Inference.Tests.Models;

/// <summary>
/// A full copy of a forged model directory (no links: tampering must not reach the shared cache), with
/// digests computed independently of the code under test, and byte flips that can be undone.
/// </summary>
internal sealed class PinnedModelCopy : IDisposable
{
    public PinnedModelCopy(string source)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gg-pins-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.GetFiles(source))
        {
            System.IO.File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        }
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The lowercase hex SHA-256, by the framework's one-shot API (not the streamed hasher).</summary>
    public string Digest(string name) => Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(File(name))));

    /// <summary>Inverts every bit of one byte; returns an action restoring it.</summary>
    public Action Flip(string name, long offset)
    {
        using (var stream = new FileStream(File(name), FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = offset;
            var original = stream.ReadByte();
            stream.Position = offset;
            stream.WriteByte((byte)~original);
        }

        return () =>
        {
            using var stream = new FileStream(File(name), FileMode.Open, FileAccess.ReadWrite);
            stream.Position = offset;
            var flipped = stream.ReadByte();
            stream.Position = offset;
            stream.WriteByte((byte)~flipped);
        };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
