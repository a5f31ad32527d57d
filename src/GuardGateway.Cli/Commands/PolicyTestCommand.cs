using System.CommandLine;
using GuardGateway.Cli.PolicyTests;
using GuardGateway.Core.Moderation;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Options;
using GuardGateway.ModelForge;
using GuardGateway.Policies.Store;

namespace GuardGateway.Cli.Commands;

/// <summary>
/// <c>guardctl policy test FILE [--model DIR|demo]</c>: a policy author's regression suite, run in process
/// through the same pipeline the server uses. Exit 0 when every case passes, 1 when any fails.
/// </summary>
internal static class PolicyTestCommand
{
    /// <summary>Exit code when at least one case got another decision.</summary>
    public const int CasesFailed = 1;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Test file (YAML): policies, model, cases with messages and expected decisions" };
        var model = new Option<string?>("--model") { Description = "Model directory, or 'demo' for the planted demo guard (overrides the file's 'model')" };
        var command = new Command("test", "Run sample conversations through policies and a guard model and check the decisions")
        {
            file, model,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var suite = PolicyTestFileReader.Read(path);
            if (!suite.IsSuccess)
            {
                return CliErrors.Fail(CliErrors.InvalidInput, suite.Error.Message);
            }

            var baseDir = Path.GetDirectoryName(path)!;
            var policiesPath = Path.GetFullPath(suite.Value.Policies ?? "policies", baseDir);
            using var store = new PolicyStore(new PolicyStoreOptions
            {
                Directory = File.Exists(policiesPath) ? Path.GetDirectoryName(policiesPath)! : policiesPath,
                DefaultPolicyId = suite.Value.DefaultPolicy ?? "default",
            });
            var reload = await store.ReloadAsync(cancellationToken);
            if (!reload.Succeeded)
            {
                foreach (var diagnostic in reload.Diagnostics)
                {
                    await Console.Error.WriteLineAsync(diagnostic.ToString());
                }

                return CliErrors.Fail(CliErrors.InvalidInput, $"the policies in {policiesPath} do not load");
            }

            var modelDir = ResolveModel(parse.GetValue(model) ?? suite.Value.Model ?? "demo", baseDir);
            var created = OnnxGuardClassifier.Create(new GuardInferenceOptions { ModelDirectory = modelDir });
            if (!created.IsSuccess)
            {
                return CliErrors.Fail(CliErrors.Environment, created.Error.Message);
            }

            await using var classifier = created.Value;
            var runner = new PolicyTestRunner(new ModerationPipeline(classifier), store);
            var failed = 0;
            for (var i = 0; i < suite.Value.Cases.Count; i++)
            {
                var outcome = await runner.RunAsync(suite.Value.Cases[i], i + 1, cancellationToken);
                failed += outcome.Passed ? 0 : 1;
                await Console.Out.WriteLineAsync($"{(outcome.Passed ? "PASS" : "FAIL")} {outcome.Name}: {outcome.Detail}");
            }

            var passed = suite.Value.Cases.Count - failed;
            await Console.Out.WriteLineAsync($"{passed} passed, {failed} failed (model: {classifier.Model.Name})");
            return failed == 0 ? 0 : CasesFailed;
        });
        return command;
    }

    private static string ResolveModel(string model, string baseDir)
    {
        if (model != "demo")
        {
            return Path.GetFullPath(model, baseDir);
        }

        var cache = Environment.GetEnvironmentVariable("GUARDGATEWAY_CACHE") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "guardgateway");
        return ForgedModelCache.GetOrCreate(Path.Combine(cache, "planted-guard"), new PlantedGuardOptions(), tokenizerPath: null).Directory;
    }
}
