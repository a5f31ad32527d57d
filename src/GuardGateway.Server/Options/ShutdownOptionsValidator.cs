using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Options;

/// <summary>Startup validation of <see cref="ShutdownOptions"/>: every problem at once.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        var errors = new List<string>();
        if (!(options.GraceSeconds > 0) || options.GraceSeconds > 3600)
        {
            errors.Add("Shutdown:GraceSeconds must be in (0, 3600].");
        }

        if (!(options.StreamEndMarginSeconds >= 0) || options.StreamEndMarginSeconds > 60)
        {
            errors.Add("Shutdown:StreamEndMarginSeconds must be in [0, 60].");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
