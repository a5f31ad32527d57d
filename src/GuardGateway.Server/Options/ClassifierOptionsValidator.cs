using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Options;

/// <summary>Startup validation of <see cref="ClassifierOptions"/>: every problem at once.</summary>
internal sealed class ClassifierOptionsValidator : IValidateOptions<ClassifierOptions>
{
    public ValidateOptionsResult Validate(string? name, ClassifierOptions options)
    {
        var errors = new List<string>();
        if (options.Timeout < TimeSpan.FromMilliseconds(10) || options.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add("Guard:Classifier:Timeout must be 10 ms to 10 min.");
        }

        if (options.MaxConcurrentCalls is < 1 or > 100_000)
        {
            errors.Add("Guard:Classifier:MaxConcurrentCalls must be 1 to 100000.");
        }

        if (options.QueueLimit is < 0 or > 100_000)
        {
            errors.Add("Guard:Classifier:QueueLimit must be 0 to 100000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
