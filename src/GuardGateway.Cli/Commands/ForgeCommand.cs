using System.CommandLine;
using System.Text.Json;
using GuardGateway.ModelForge;

namespace GuardGateway.Cli.Commands;

/// <summary>
/// <c>guardctl forge --kind tiny-llama|planted-guard --out DIR [--tokenizer F] [sizes] [--dtype fp32|fp16]</c>:
/// writes a project-made test model directory and prints a JSON summary of it.
/// </summary>
internal static class ForgeCommand
{
    private static readonly JsonSerializerOptions Output = new() { WriteIndented = false };

    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "tiny-llama (seeded random Llama decoder) or planted-guard (deterministic guard stand-in)", Required = true };
        kind.AcceptOnlyFromAmong(Forge.TinyLlamaKind, Forge.PlantedGuardKind);
        var outDir = new Option<string>("--out") { Description = "Model directory to write (created if missing)", Required = true };
        var tokenizer = CommonOptions.Tokenizer(required: false);
        tokenizer.Description = "Tokenizer to copy in (tokenizer.json or tokenizer.model); omitted: none, the offline demo tokenizer is meant";
        var layers = new Option<int?>("--layers") { Description = "Decoder layers (default 2)" };
        var hidden = new Option<int?>("--hidden") { Description = "Hidden size (default 64)" };
        var heads = new Option<int?>("--heads") { Description = "Attention heads (default 4)" };
        var kvHeads = new Option<int?>("--kv-heads") { Description = "Key/value heads (default 2)" };
        var headDim = new Option<int?>("--head-dim") { Description = "Head dimension (default 16)" };
        var intermediate = new Option<int?>("--intermediate") { Description = "MLP intermediate size (default 128)" };
        var seed = new Option<ulong?>("--seed") { Description = "Weight seed, tiny-llama only (default 42)" };
        var ropeTheta = new Option<double?>("--rope-theta") { Description = "RoPE theta, tiny-llama only (default 500000)" };
        var dtype = new Option<string>("--dtype") { Description = "fp32 or fp16: weights, KV cache and logits (ids and mask stay int64)", DefaultValueFactory = _ => "fp32" };
        dtype.AcceptOnlyFromAmong("fp32", "fp16");
        var noPositionIds = new Option<bool>("--no-position-ids") { Description = "Leave out the position_ids input (positions from attention_mask inside the graph)" };

        var command = new Command("forge", "Write a project-made ONNX test model directory (tiny Llama decoder or planted guard)")
        {
            kind, outDir, tokenizer, layers, hidden, heads, kvHeads, headDim, intermediate, seed, ropeTheta, dtype, noPositionIds,
        };
        command.SetAction(parse =>
        {
            var tokenizerPath = parse.GetValue(tokenizer);
            if (tokenizerPath is not null && !File.Exists(tokenizerPath))
            {
                return CliErrors.Fail(CliErrors.Environment, "Tokenizer file not found: " + tokenizerPath);
            }

            // The sizes both kinds share, each falling back to the kind's own default.
            T Shaped<T>(T defaults)
                where T : ForgedDecoderShape => defaults with
                {
                    Layers = parse.GetValue(layers) ?? defaults.Layers,
                    Hidden = parse.GetValue(hidden) ?? defaults.Hidden,
                    Heads = parse.GetValue(heads) ?? defaults.Heads,
                    KvHeads = parse.GetValue(kvHeads) ?? defaults.KvHeads,
                    HeadDim = parse.GetValue(headDim) ?? defaults.HeadDim,
                    Intermediate = parse.GetValue(intermediate) ?? defaults.Intermediate,
                    DType = parse.GetValue(dtype) == "fp16" ? ForgeDType.Fp16 : ForgeDType.Fp32,
                    IncludePositionIds = !parse.GetValue(noPositionIds),
                };

            IReadOnlyList<string> errors;
            Func<ForgedModel> forge;
            if (parse.GetValue(kind) == Forge.TinyLlamaKind)
            {
                var defaults = new TinyLlamaOptions();
                var options = Shaped(defaults) with
                {
                    Seed = parse.GetValue(seed) ?? defaults.Seed,
                    RopeTheta = parse.GetValue(ropeTheta) ?? defaults.RopeTheta,
                };
                errors = options.Validate();
                forge = () => Forge.TinyLlama(options, parse.GetValue(outDir)!, tokenizerPath);
            }
            else
            {
                if (parse.GetValue(seed) is not null || parse.GetValue(ropeTheta) is not null)
                {
                    return CliErrors.Fail(CliErrors.InvalidInput, "--seed and --rope-theta apply to --kind tiny-llama only (the planted guard has no random weights).");
                }

                var options = Shaped(new PlantedGuardOptions());
                errors = options.Validate();
                forge = () => Forge.PlantedGuard(options, parse.GetValue(outDir)!, tokenizerPath);
            }

            if (errors.Count > 0)
            {
                return CliErrors.Fail(CliErrors.InvalidInput, string.Join(" ", errors));
            }

            ForgedModel forged;
            try
            {
                forged = forge();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return CliErrors.Fail(CliErrors.Environment, e.Message);
            }

            var files = Directory.GetFiles(forged.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            Console.Out.WriteLine(JsonSerializer.Serialize(new { kind = forged.Kind, directory = forged.Directory, dtype = parse.GetValue(dtype), files }, Output));
            return 0;
        });
        return command;
    }
}
