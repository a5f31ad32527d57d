namespace GuardGateway.Inference.Tests.Models;

/// <summary>
/// A temporary copy of a forged model directory, to break one thing at a time. The graph and its external
/// data are copied: ONNX Runtime refuses external data reached through a symlink that leaves the model
/// directory. The tokenizer is linked.
/// </summary>
internal sealed class ModelDirectoryCopy : IDisposable
{
    public ModelDirectoryCopy(string source, params string[] skip)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gg-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        foreach (var file in Directory.GetFiles(source))
        {
            var name = System.IO.Path.GetFileName(file);
            if (skip.Contains(name))
            {
                continue;
            }

            var target = System.IO.Path.Combine(Path, name);
            if (name.StartsWith("tokenizer", StringComparison.Ordinal))
            {
                File.CreateSymbolicLink(target, file);
            }
            else
            {
                File.Copy(file, target);
            }
        }
    }

    public string Path { get; }

    /// <summary>Replaces a linked file with edited text.</summary>
    public void Rewrite(string name, Func<string, string> edit)
    {
        var target = System.IO.Path.Combine(Path, name);
        var text = File.ReadAllText(target);
        File.Delete(target);
        File.WriteAllText(target, edit(text));
    }

    public void Write(string name, string text) => File.WriteAllText(System.IO.Path.Combine(Path, name), text);

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
