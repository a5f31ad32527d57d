using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Options;

/// <summary>Startup validation of <see cref="Http2GuardOptions"/>: every problem at once.</summary>
internal sealed class Http2GuardOptionsValidator : IValidateOptions<Http2GuardOptions>
{
    public ValidateOptionsResult Validate(string? name, Http2GuardOptions options)
    {
        var errors = new List<string>();
        if (!(options.PingsPerSecond > 0) || options.PingsPerSecond > 1_000_000)
        {
            errors.Add("Http2Guard:PingsPerSecond must be in (0, 1000000].");
        }

        if (options.PingBurst < 1 || options.PingBurst > 1_000_000)
        {
            errors.Add("Http2Guard:PingBurst must be in [1, 1000000].");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
