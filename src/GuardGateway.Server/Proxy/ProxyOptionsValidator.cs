using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy;

/// <summary>Startup validation of <see cref="ProxyOptions"/>: every problem at once.</summary>
internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var errors = new List<string>();
        if (options.MaxRequestBytes < 1024)
        {
            errors.Add("Proxy:MaxRequestBytes must be at least 1024.");
        }

        if (options.MaxPrompts < 1)
        {
            errors.Add("Proxy:MaxPrompts must be at least 1.");
        }

        if (!Enum.IsDefined(options.NoVerdictResponse))
        {
            errors.Add("Proxy:NoVerdictResponse must be 'Refusal' or 'Error'.");
        }

        if (options.PromptTokenizerPath.Length > 0 && !File.Exists(options.PromptTokenizerPath))
        {
            errors.Add($"Proxy:PromptTokenizerPath '{options.PromptTokenizerPath}' is not a file.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
