using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GuardGateway.Inference.Models;

namespace GuardGateway.Cli.Commands;

/// <summary>
/// <c>guardctl pin --model DIR [--graph FILE] [--all] [--format json|env|helm]</c>: prints the SHA-256 pins
/// of a model directory as configuration to paste (RELIABILITY.md T25): by default the files the engine
/// loads (config, marker, tokenizer, graph and its external data), with <c>--all</c> every file.
/// </summary>
internal static class PinCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The model directory", Required = true };
        var graph = new Option<string?>("--graph") { Description = "The graph file the server is configured with (Guard:Inference:GraphFile); default: the loader's preference order" };
        var all = new Option<bool>("--all") { Description = "Pin every file under the directory (hidden entries skipped), not only the files the engine loads" };
        var format = new Option<string>("--format")
        {
            Description = "json: appsettings snippet (Guard:Inference:Sha256); env: Guard__Inference__Sha256Pins__N lines; helm: values.yaml model.sha256",
            DefaultValueFactory = _ => "json",
        };
        format.AcceptOnlyFromAmong("json", "env", "helm");
        var command = new Command("pin", "Print the SHA-256 digests of a model directory's files as configuration for Guard:Inference:Sha256")
        {
            model, graph, all, format,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(model)!;
            if (!Directory.Exists(directory))
            {
                return CliErrors.Fail(CliErrors.Environment, "Model directory not found: " + directory);
            }

            directory = Path.GetFullPath(directory);
            IReadOnlyList<string> files;
            if (parse.GetValue(all))
            {
                files = EveryFile(directory);
            }
            else
            {
                var loaded = ModelPinning.LoadedFiles(directory, parse.GetValue(graph), CancellationToken.None);
                if (!loaded.IsSuccess)
                {
                    return CliErrors.Fail(CliErrors.Environment, loaded.Error.Message);
                }

                files = loaded.Value;
            }

            var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
            try
            {
                foreach (var file in files)
                {
                    digests[file] = Sha256File.Compute(Path.Combine(directory, file), CancellationToken.None);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return CliErrors.Fail(CliErrors.Environment, e.Message);
            }

            Console.Out.Write(Render(digests, parse.GetValue(format)!));
            return 0;
        });
        return command;
    }

    internal static string Render(IReadOnlyDictionary<string, string> digests, string format)
    {
        var text = new StringBuilder();
        switch (format)
        {
            case "env":
                var index = 0;
                foreach (var (file, digest) in digests)
                {
                    text.Append(CultureInfo.InvariantCulture, $"Guard__Inference__Sha256Pins__{index++}={file}={digest}\n");
                }

                break;
            case "helm":
                text.Append("model:\n  sha256:\n");
                foreach (var (file, digest) in digests)
                {
                    // Quoted: an all-digit digest with one 'e' would otherwise be read by YAML as a float.
                    text.Append(CultureInfo.InvariantCulture, $"    {JsonSerializer.Serialize(file)}: \"{digest}\"\n");
                }

                break;
            default:
                var snippet = new { Guard = new { Inference = new { Sha256 = digests } } };
                text.Append(JsonSerializer.Serialize(snippet, Indented)).Append('\n');
                break;
        }

        return text.ToString();
    }

    private static string[] EveryFile(string directory) =>
    [
        .. Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Select(path => ModelPinning.RelativeName(directory, path))
            .OfType<string>()
            .Where(name => !name.Split('/').Any(segment => segment.StartsWith('.')))
            .Order(StringComparer.Ordinal),
    ];
}
