using GuardGateway.Core.Results;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace GuardGateway.Cli.PolicyTests;

/// <summary>Reads a policy test file; unknown keys and malformed YAML are errors with line and column.</summary>
internal static class PolicyTestFileReader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static Result<PolicyTestFile> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return GuardError.Invalid($"cannot read {path}: {ex.Message}");
        }

        PolicyTestFile? file;
        try
        {
            file = Deserializer.Deserialize<PolicyTestFile>(text);
        }
        catch (YamlException ex)
        {
            var reason = (ex.InnerException?.Message ?? ex.Message).ReplaceLineEndings(" ");
            return GuardError.Invalid($"{path}:{ex.Start.Line}:{ex.Start.Column}: {reason}");
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed input instead of a YamlException.
            return GuardError.Invalid($"{path}: not valid YAML ({ex.Message})");
        }

        if (file is null || file.Cases.Count == 0)
        {
            return GuardError.Invalid($"{path}: no cases (expected a 'cases:' list)");
        }

        for (var i = 0; i < file.Cases.Count; i++)
        {
            var testCase = file.Cases[i];
            var label = $"{path}: case {i + 1}" + (testCase.Name is null ? string.Empty : $" '{testCase.Name}'");
            if (testCase.Expect?.Decision is null)
            {
                return GuardError.Invalid($"{label}: 'expect.decision' is required");
            }

            if ((testCase.Text is null) == (testCase.Messages.Count == 0))
            {
                return GuardError.Invalid($"{label}: give either 'text' or 'messages'");
            }
        }

        return file;
    }
}
