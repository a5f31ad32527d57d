using System.CommandLine;
using System.Text.Json;
using GuardGateway.Inference.Tokenization;

namespace GuardGateway.Cli.Commands;

/// <summary><c>guardctl tokenize --tokenizer F --text S</c>: plain-text ids as a JSON array.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizer = CommonOptions.Tokenizer();
        var text = new Option<string>("--text") { Description = "Text to encode as plain text (special-token literals stay text)", Required = true };
        var command = new Command("tokenize", "Encode text with a Llama 3 tokenizer and print the ids as JSON") { tokenizer, text };
        command.SetAction(parse =>
        {
            var loaded = TokenizerLoader.Load(parse.GetValue(tokenizer)!);
            if (loaded.Tokenizer is null)
            {
                return CliErrors.Fail(CliErrors.Environment, loaded.Error!);
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(loaded.Tokenizer.EncodeText(parse.GetValue(text)!)));
            return 0;
        });
        return command;
    }
}
