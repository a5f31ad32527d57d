using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using GuardGateway.Cli.Cases;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Options;

namespace GuardGateway.Cli.Commands;

/// <summary>
/// <c>guardctl classify --model DIR --case C</c>: runs the guard model in process on one case and prints the
/// verdict as JSON. A parse failure prints <c>"verdict": "parse_failure"</c> and exits 4: it is no verdict.
/// </summary>
internal static class ClassifyCommand
{
    /// <summary>Exit code when the model's answer broke the output grammar.</summary>
    public const int ParseFailureExitCode = 4;

    private static readonly JsonSerializerOptions Output = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory: config.json, tokenizer, ONNX graph (model.onnx or onnx/model*.onnx)", Required = true };
        var caseFile = CommonOptions.Case();
        var graph = new Option<string?>("--graph") { Description = "Graph file inside the model directory (default: the preference order model.onnx, onnx/model.onnx, onnx/model_fp16.onnx, ...)" };
        var threshold = new Option<float>("--threshold") { Description = "P(unsafe) at or above which categories are decoded (default 0.5)", DefaultValueFactory = _ => 0.5f };
        var device = new Option<GuardExecutionProvider>("--device") { Description = "Execution provider: Cpu (default) or Cuda", DefaultValueFactory = _ => GuardExecutionProvider.Cpu };
        var command = new Command("classify", "Classify one case with a Llama Guard 3 ONNX model and print the verdict as JSON")
        {
            model, caseFile, graph, threshold, device,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = CaseFileReader.Read(parse.GetValue(caseFile)!);
            if (!request.IsSuccess)
            {
                return CliErrors.Fail(CliErrors.InvalidInput, request.Error.Message);
            }

            var options = new GuardInferenceOptions
            {
                ModelDirectory = parse.GetValue(model)!,
                GraphFile = parse.GetValue(graph),
                ExecutionProvider = parse.GetValue(device),
                // One request: no batching window, and no prefix cache (it would only split the prefill).
                MaxBatchSize = 1,
                BatchWindow = TimeSpan.Zero,
                PrefixCacheEnabled = false,
            };
            var created = OnnxGuardClassifier.Create(options);
            if (!created.IsSuccess)
            {
                return CliErrors.Fail(CliErrors.Environment, created.Error.Message);
            }

            await using var classifier = created.Value;
            var prompt = request.Value;
            var result = await classifier.ClassifyAsync(
                new GuardClassificationRequest
                {
                    Messages = prompt.Messages,
                    FormatId = prompt.Format.Id,
                    Categories = prompt.Categories,
                    ExcludedCodes = prompt.ExcludedCategoryKeys,
                    IncludeDescriptions = prompt.IncludeDescriptions,
                    CategoryThreshold = parse.GetValue(threshold),
                },
                cancellationToken);
            if (!result.IsSuccess)
            {
                var exit = result.Error.Code is GuardErrorCode.InvalidRequest or GuardErrorCode.PromptTooLong ? CliErrors.InvalidInput : CliErrors.Environment;
                return CliErrors.Fail(exit, result.Error.Message);
            }

            var verdict = result.Value;
            Console.Out.WriteLine(JsonSerializer.Serialize(ToOutput(classifier.Model, verdict), Output));
            return verdict.Outcome == GuardOutcome.ParseFailure ? ParseFailureExitCode : 0;
        });
        return command;
    }

    private static ClassifyOutput ToOutput(GuardModelInfo model, GuardClassification result) => new(
        model.Name,
        model.IsDemo,
        result.Outcome switch
        {
            GuardOutcome.Safe => "safe",
            GuardOutcome.Unsafe => "unsafe",
            _ => "parse_failure",
        },
        result.Categories,
        result.UnsafeProbability,
        result.CategoryScores,
        result.RawOutput,
        result.ParseFailureReason,
        result.PromptTokens,
        result.PrefillTokens,
        result.GeneratedTokens,
        new TimingsOutput(Ms(result.Timings.Queued), Ms(result.Timings.Prefill), Ms(result.Timings.Decode), Ms(result.Timings.Total)));

    private static double Ms(TimeSpan span) => Math.Round(span.TotalMilliseconds, 3, MidpointRounding.AwayFromZero);

    private sealed record ClassifyOutput(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("demo")] bool Demo,
        [property: JsonPropertyName("verdict")] string Verdict,
        [property: JsonPropertyName("categories")] IReadOnlyList<string> Categories,
        [property: JsonPropertyName("unsafe_probability")] float UnsafeProbability,
        [property: JsonPropertyName("category_scores")] IReadOnlyDictionary<string, float> CategoryScores,
        [property: JsonPropertyName("raw_output")] string RawOutput,
        [property: JsonPropertyName("parse_failure_reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParseFailureReason,
        [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
        [property: JsonPropertyName("prefill_tokens")] int PrefillTokens,
        [property: JsonPropertyName("generated_tokens")] int GeneratedTokens,
        [property: JsonPropertyName("timings")] TimingsOutput Timings);

    private sealed record TimingsOutput(
        [property: JsonPropertyName("queued_ms")] double QueuedMs,
        [property: JsonPropertyName("prefill_ms")] double PrefillMs,
        [property: JsonPropertyName("decode_ms")] double DecodeMs,
        [property: JsonPropertyName("total_ms")] double TotalMs);
}
