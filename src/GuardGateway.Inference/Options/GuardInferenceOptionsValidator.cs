using GuardGateway.Inference.Models;
using Microsoft.Extensions.Options;

namespace GuardGateway.Inference.Options;

/// <summary>Checks <see cref="GuardInferenceOptions"/> and reports every problem at once.</summary>
public sealed class GuardInferenceOptionsValidator : IValidateOptions<GuardInferenceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GuardInferenceOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem with the options (empty when valid).</summary>
    public static IReadOnlyList<string> Check(GuardInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelDirectory))
        {
            errors.Add("ModelDirectory is required.");
        }

        if (!Enum.IsDefined(options.ExecutionProvider))
        {
            errors.Add($"ExecutionProvider '{options.ExecutionProvider}' is not Cpu or Cuda.");
        }

        Range(errors, nameof(options.CudaDeviceId), options.CudaDeviceId, 0, 64);
        Range(errors, nameof(options.IntraOpThreads), options.IntraOpThreads, 0, 1024);
        Range(errors, nameof(options.MaxPromptTokens), options.MaxPromptTokens, 16, 131072);
        Range(errors, nameof(options.MaxNewTokens), options.MaxNewTokens, 1, 256);
        Range(errors, nameof(options.MaxBatchSize), options.MaxBatchSize, 1, 256);
        Range(errors, nameof(options.QueueCapacity), options.QueueCapacity, 1, 100000);
        Range(errors, nameof(options.PrefixCacheCapacity), options.PrefixCacheCapacity, 1, 4096);
        if (options.BatchWindow < TimeSpan.Zero || options.BatchWindow > TimeSpan.FromSeconds(1))
        {
            errors.Add($"BatchWindow must be between 0 and 1 s (was {options.BatchWindow}).");
        }

        ModelPins.Collect(options, errors);

        return errors;
    }

    private static void Range(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} must be between {min} and {max} (was {value}).");
        }
    }
}
