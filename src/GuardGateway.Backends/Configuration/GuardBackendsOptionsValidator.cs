using System.Globalization;
using Microsoft.Extensions.Options;

namespace GuardGateway.Backends.Configuration;

/// <summary>Validates the whole <c>Backends</c> list at startup and reports every problem at once, each with its path.</summary>
internal sealed class GuardBackendsOptionsValidator : IValidateOptions<GuardBackendsOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GuardBackendsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Every problem of the configuration, in order; empty when valid.</summary>
    public static List<string> Collect(GuardBackendsOptions options)
    {
        var errors = new List<string>();
        if (options.Backends.Count == 0)
        {
            errors.Add("Backends: at least one backend is required.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Backends.Count; i++)
        {
            var backend = options.Backends[i];
            var path = string.Create(CultureInfo.InvariantCulture, $"Backends[{i}]");
            if (backend is null)
            {
                errors.Add($"{path}: missing.");
                continue;
            }

            ValidateIdentity(backend, path, names, errors);
            ValidateModels(backend, path, models, errors);
            ValidateLimits(backend, path, errors);
            if (backend.Kind == BackendKind.KServe)
            {
                ValidateKServe(backend.KServe, path + ".KServe", errors);
            }
        }

        return errors;
    }

    private static void ValidateIdentity(BackendOptions backend, string path, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(backend.Name) || !backend.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add($"{path}.Name: required; letters, digits, '-', '_' and '.' only.");
        }
        else if (!names.Add(backend.Name))
        {
            errors.Add($"{path}.Name: '{backend.Name}' is used by another backend.");
        }

        if (backend.Kind is null || !Enum.IsDefined(backend.Kind.Value))
        {
            errors.Add($"{path}.Kind: required, 'openai' or 'kserve'.");
        }

        if (!Uri.TryCreate(backend.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"{path}.Url: required, an absolute http or https address without query or fragment.");
        }
    }

    private static void ValidateModels(BackendOptions backend, string path, Dictionary<string, string> models, List<string> errors)
    {
        if (backend.Models.Count == 0)
        {
            errors.Add($"{path}.Models: at least one model name (or '*').");
        }

        foreach (var model in backend.Models)
        {
            if (string.IsNullOrWhiteSpace(model))
            {
                errors.Add($"{path}.Models: empty model name.");
            }
            else if (models.TryGetValue(model, out var other))
            {
                errors.Add($"{path}.Models: '{model}' is already routed to backend '{other}'.");
            }
            else
            {
                models[model] = backend.Name;
            }
        }
    }

    private static void ValidateLimits(BackendOptions backend, string path, List<string> errors)
    {
        CheckTimeout(backend.ConnectTimeout, $"{path}.ConnectTimeout", errors);
        CheckTimeout(backend.AttemptTimeout, $"{path}.AttemptTimeout", errors);
        CheckTimeout(backend.TotalTimeout, $"{path}.TotalTimeout", errors);
        CheckTimeout(backend.StreamIdleTimeout, $"{path}.StreamIdleTimeout", errors);
        CheckTimeout(backend.StreamMaxDuration, $"{path}.StreamMaxDuration", errors);
        if (backend.TotalTimeout < backend.AttemptTimeout)
        {
            errors.Add($"{path}.TotalTimeout: must be at least AttemptTimeout.");
        }

        if (backend.MaxResponseBytes < 1024)
        {
            errors.Add($"{path}.MaxResponseBytes: at least 1024.");
        }

        if (backend.MaxSseLineBytes < 1024 || backend.MaxSseEventBytes < backend.MaxSseLineBytes)
        {
            errors.Add($"{path}.MaxSseLineBytes/MaxSseEventBytes: line at least 1024, event at least line.");
        }

        var retry = backend.Retry;
        if (retry is null || retry.MaxAttempts is < 1 or > 3 || retry.BaseDelay < TimeSpan.Zero || retry.BaseDelay > TimeSpan.FromSeconds(10))
        {
            errors.Add($"{path}.Retry: MaxAttempts 1 to 3, BaseDelay 0 to 10 s.");
        }
        else if (!(retry.BudgetRatio is >= 0 and <= 1) || !(retry.BudgetMinRetriesPerSecond is >= 0 and <= 1000)
            || retry.BudgetWindow < TimeSpan.FromSeconds(1) || retry.BudgetWindow > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{path}.Retry: BudgetRatio 0 to 1, BudgetMinRetriesPerSecond 0 to 1000, BudgetWindow 1 s to 10 min.");
        }

        var breaker = backend.CircuitBreaker;
        if (breaker is null || !(breaker.FailureRatio is > 0 and <= 1) || breaker.MinimumThroughput < 2
            || breaker.SamplingDuration < TimeSpan.FromMilliseconds(500) || breaker.BreakDuration < TimeSpan.FromMilliseconds(500)
            || breaker.SamplingDuration > MaxTimeout || breaker.BreakDuration > MaxTimeout)
        {
            errors.Add($"{path}.CircuitBreaker: FailureRatio in (0, 1], MinimumThroughput at least 2, SamplingDuration and BreakDuration 500 ms to 1 h.");
        }

        var concurrency = backend.Concurrency;
        if (concurrency is null || concurrency.MaxConcurrentCalls < 1 || concurrency.QueueLimit < 0)
        {
            errors.Add($"{path}.Concurrency: MaxConcurrentCalls at least 1, QueueLimit at least 0.");
        }
    }

    private static void ValidateKServe(KServeBackendOptions? kserve, string path, List<string> errors)
    {
        if (kserve is null)
        {
            errors.Add($"{path}: missing.");
            return;
        }

        if (string.IsNullOrWhiteSpace(kserve.TextInputName) || string.IsNullOrWhiteSpace(kserve.TextOutputName))
        {
            errors.Add($"{path}: TextInputName and TextOutputName are required.");
        }

        if (kserve.DefaultMaxTokens < 1)
        {
            errors.Add($"{path}.DefaultMaxTokens: at least 1.");
        }

        if (!Enum.IsDefined(kserve.InputEncoding) || !Enum.IsDefined(kserve.PromptTemplate))
        {
            errors.Add($"{path}: unknown InputEncoding or PromptTemplate.");
        }
    }

    private static void CheckTimeout(TimeSpan value, string path, List<string> errors)
    {
        if (value < TimeSpan.FromMilliseconds(10) || value > MaxTimeout)
        {
            errors.Add($"{path}: 10 ms to 1 h.");
        }
    }
}
