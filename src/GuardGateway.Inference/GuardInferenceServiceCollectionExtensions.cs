using GuardGateway.Core.Classification;
using GuardGateway.Inference.Engine;
using GuardGateway.Inference.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Inference;

/// <summary>The one DI registration of this assembly (ARCHITECTURE.md §5).</summary>
public static class GuardInferenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GuardInferenceOptions"/> (validated at start), <see cref="OnnxGuardClassifier"/>
    /// and <see cref="IGuardClassifier"/> as singletons with <c>TryAdd*</c>, so tests can substitute. The
    /// model is loaded when the classifier is first resolved; a model that cannot load throws there with
    /// the <see cref="Core.Results.GuardError"/> message (a startup failure, not a request failure).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional code configuration, applied after any bound configuration.</param>
    public static IServiceCollection AddGuardInference(this IServiceCollection services, Action<GuardInferenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<GuardInferenceOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardInferenceOptions>, GuardInferenceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<GuardInferenceOptions>>().Value;
            var created = OnnxGuardClassifier.Create(
                options,
                provider.GetService<ILogger<OnnxGuardClassifier>>(),
                provider.GetRequiredService<TimeProvider>());
            return created.IsSuccess
                ? created.Value
                : throw new InvalidOperationException($"The guard model could not be loaded: {created.Error}");
        });
        services.TryAddSingleton<IGuardClassifier>(static provider => provider.GetRequiredService<OnnxGuardClassifier>());
        return services;
    }

    /// <summary>
    /// As <see cref="AddGuardInference(IServiceCollection, Action{GuardInferenceOptions}?)"/>, binding the options
    /// from a configuration section (conventionally <see cref="GuardInferenceOptions.SectionName"/>).
    /// </summary>
    public static IServiceCollection AddGuardInference(this IServiceCollection services, IConfiguration section, Action<GuardInferenceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<GuardInferenceOptions>().Bind(section);
        return services.AddGuardInference(configure);
    }
}
