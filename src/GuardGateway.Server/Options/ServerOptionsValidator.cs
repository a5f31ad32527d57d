using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Options;

/// <summary>Startup validation of <see cref="AuthOptions"/> and <see cref="LimitsOptions"/>: every problem at once.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<AuthOptions>, IValidateOptions<LimitsOptions>, IValidateOptions<GuardOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        CheckKeys(options.ClientKeys, "Auth:ClientKeys", options.MinimumKeyLength, errors);
        CheckKeys(options.AdminKeys, "Auth:AdminKeys", options.MinimumKeyLength, errors);
        CheckKeys(options.PolicyOwnerKeys, "Auth:PolicyOwnerKeys", options.MinimumKeyLength, errors);
        if (options.ClientKeys.Intersect(options.AdminKeys, StringComparer.Ordinal).Any())
        {
            // One secret with two roles makes the admin/client split meaningless.
            errors.Add("A key appears in both Auth:ClientKeys and Auth:AdminKeys.");
        }

        if (options.PolicyOwnerKeys.Intersect(options.ClientKeys.Concat(options.AdminKeys), StringComparer.Ordinal).Any())
        {
            errors.Add("A key appears in Auth:PolicyOwnerKeys and in Auth:ClientKeys or Auth:AdminKeys.");
        }

        for (var i = 0; i < options.ProtectedCategories.Count; i++)
        {
            var code = options.ProtectedCategories[i];
            if (code is null || code.Length is < 2 or > 4 || code[0] != 'S' || code[1] == '0' || !code.Skip(1).All(char.IsAsciiDigit))
            {
                errors.Add($"Auth:ProtectedCategories[{i}] is not a category code (S1, S2, ...).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var errors = new List<string>();
        if (options.MaxMessageBytes < 1024)
        {
            errors.Add("Limits:MaxMessageBytes must be at least 1024.");
        }

        if (options.MaxConcurrentRequests < 1)
        {
            errors.Add("Limits:MaxConcurrentRequests must be at least 1.");
        }

        if (!(options.RequestTimeoutSeconds > 0) || options.RequestTimeoutSeconds > 3600)
        {
            errors.Add("Limits:RequestTimeoutSeconds must be in (0, 3600].");
        }

        if (options.MaxBatchSize < 1)
        {
            errors.Add("Limits:MaxBatchSize must be at least 1.");
        }

        if (options.MaxMessages < 1)
        {
            errors.Add("Limits:MaxMessages must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, GuardOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DefaultPolicy))
        {
            errors.Add("Guard:DefaultPolicy must name a policy.");
        }

        if (options.LongInputMaxChunks is < 0 or > 64)
        {
            errors.Add("Guard:LongInputMaxChunks must be between 0 (reject over-limit input) and 64.");
        }

        if (options.ModelPath.Length > 0 && !Directory.Exists(options.ModelPath))
        {
            errors.Add($"Guard:ModelPath '{options.ModelPath}' is not a directory.");
        }

        if (options.PoliciesPath.Length > 0 && !Directory.Exists(options.PoliciesPath))
        {
            errors.Add($"Guard:PoliciesPath '{options.PoliciesPath}' is not a directory.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckKeys(IList<string> keys, string name, int minimumLength, List<string> errors)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            // Errors name the position, never the key.
            if (string.IsNullOrWhiteSpace(keys[i]) || keys[i].Length < minimumLength)
            {
                errors.Add($"{name}[{i}] is shorter than {minimumLength} characters.");
            }
            else if (keys[i].Any(char.IsWhiteSpace))
            {
                errors.Add($"{name}[{i}] contains whitespace.");
            }
        }

        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            errors.Add($"{name} lists a key twice.");
        }
    }
}
