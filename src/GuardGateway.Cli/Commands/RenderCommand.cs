using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using GuardGateway.Cli.Cases;
using GuardGateway.Inference.Prompts;

namespace GuardGateway.Cli.Commands;

/// <summary><c>guardctl render --tokenizer F --case C</c>: the exact guard prompt and its ids.</summary>
internal static class RenderCommand
{
    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var tokenizer = CommonOptions.Tokenizer();
        var caseFile = CommonOptions.Case();
        var command = new Command("render", "Render a Llama Guard 3 prompt (text and ids) for a case file") { tokenizer, caseFile };
        command.SetAction(parse =>
        {
            var request = CaseFileReader.Read(parse.GetValue(caseFile)!);
            if (!request.IsSuccess)
            {
                return CliErrors.Fail(CliErrors.InvalidInput, request.Error.Message);
            }

            var loaded = TokenizerLoader.Load(parse.GetValue(tokenizer)!);
            if (loaded.Tokenizer is null)
            {
                return CliErrors.Fail(CliErrors.Environment, loaded.Error!);
            }

            var rendered = new GuardPromptRenderer(loaded.Tokenizer).Render(request.Value);
            if (!rendered.IsSuccess)
            {
                return CliErrors.Fail(CliErrors.InvalidInput, rendered.Error.Message);
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(new RenderOutput(rendered.Value.Text, rendered.Value.Ids), Output));
            return 0;
        });
        return command;
    }

    private sealed record RenderOutput(
        [property: System.Text.Json.Serialization.JsonPropertyName("prompt")] string Prompt,
        [property: System.Text.Json.Serialization.JsonPropertyName("prompt_ids")] int[] PromptIds);
}
