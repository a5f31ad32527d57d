using GuardGateway.Inference.Tokenization;

namespace GuardGateway.Cli.Commands;

/// <summary>Loads a tokenizer file, turning load errors into a message.</summary>
internal static class TokenizerLoader
{
    public static (Llama3Tokenizer? Tokenizer, string? Error) Load(string path)
    {
        try
        {
            return (Llama3Tokenizer.FromFile(path), null);
        }
        catch (TokenizerLoadException ex)
        {
            return (null, ex.Message);
        }
        catch (IOException ex)
        {
            return (null, $"cannot read {path}: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return (null, $"cannot read {path}: {ex.Message}");
        }
    }
}
