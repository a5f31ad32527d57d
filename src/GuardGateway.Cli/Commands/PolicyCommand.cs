using System.CommandLine;
using GuardGateway.Policies;

namespace GuardGateway.Cli.Commands;

/// <summary><c>guardctl policy lint &lt;file|dir&gt; [--formats …] [--default id]</c>: every diagnostic, compiler style.</summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var command = new Command("policy", "Work with category policy files");
        command.Subcommands.Add(CreateLint());
        command.Subcommands.Add(PolicyTestCommand.Create());
        return command;
    }

    private static Command CreateLint()
    {
        var path = new Argument<string>("path") { Description = "A policy file or a directory of *.yaml / *.yml policy files" };
        var formats = new Option<string?>("--formats")
        {
            Description = "Comma-separated prompt formats the target model serves (e.g. llama-guard-3-8b); others are warnings, as in the server",
        };
        var defaultPolicy = new Option<string?>("--default")
        {
            Description = "For a directory: the default policy id the server will use (checked to exist)",
        };
        var command = new Command("lint", "Validate policy files; prints file:line:col: error CODE: message for every problem (exit 0 clean, 2 not)")
        {
            path, formats, defaultPolicy,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(path)!;
            IReadOnlyCollection<string>? supported = null;
            if (parse.GetValue(formats) is { Length: > 0 } list)
            {
                supported = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                var unknown = supported.Where(f => !PolicyFormats.All.Contains(f)).ToList();
                if (unknown.Count > 0)
                {
                    return CliErrors.Fail(CliErrors.InvalidInput, $"unknown format(s) {string.Join(", ", unknown)}; known: {string.Join(", ", PolicyFormats.All)}");
                }
            }

            if (!File.Exists(target) && !Directory.Exists(target))
            {
                return CliErrors.Fail(CliErrors.Environment, $"no such file or directory: {target}");
            }

            var diagnostics = await PolicyLinter.LintAsync(target, supported, parse.GetValue(defaultPolicy), cancellationToken);
            foreach (var diagnostic in diagnostics)
            {
                await Console.Out.WriteLineAsync(diagnostic.ToString());
            }

            var errors = diagnostics.Count(d => d.IsError);
            if (errors > 0)
            {
                await Console.Error.WriteLineAsync($"guardctl: {errors} error(s) in {target}");
                return CliErrors.InvalidInput;
            }

            return 0;
        });
        return command;
    }
}
