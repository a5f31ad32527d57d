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

        var latency = options.BlockedLatency;
        if (latency.Max < TimeSpan.Zero || latency.Max > TimeSpan.FromSeconds(60))
        {
            errors.Add("Proxy:BlockedLatency:Max must be between 0 and 60 s.");
        }

        if (latency.Floor < TimeSpan.Zero || latency.Floor > latency.Max)
        {
            errors.Add("Proxy:BlockedLatency:Floor must be between 0 and Proxy:BlockedLatency:Max.");
        }

        if (latency.Window is < 1 or > 65_536)
        {
            errors.Add("Proxy:BlockedLatency:Window must be between 1 and 65536.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
