using GuardGateway.Core.Moderation;
using GuardGateway.Core.TextSafety;
using GuardGateway.TextSafety.Languages;
using GuardGateway.TextSafety.Neutralization;
using GuardGateway.TextSafety.Normalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GuardGateway.TextSafety.DependencyInjection;

/// <summary>Registration of the input defenses (ARCHITECTURE.md §5: one <c>AddGuardXxx</c> per assembly, <c>TryAdd*</c>).</summary>
public static class GuardTextSafetyServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ITextNormalizer"/>, <see cref="IPromptNeutralizer"/> and
    /// <see cref="IUnsupportedLanguageDetector"/> as singletons (the gateway's implementations unless already registered).
    /// </summary>
    public static IServiceCollection AddGuardTextSafety(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ITextNormalizer>(UnicodeTextNormalizer.Instance);
        services.TryAddSingleton<IPromptNeutralizer>(ConversationFormatNeutralizer.Instance);
        services.TryAddSingleton<IUnsupportedLanguageDetector>(new ScriptLanguageDetector());
        return services;
    }

    /// <summary>
    /// Pipeline options with the gateway's normalizer and neutralizer (a normalized + neutralized variant is
    /// classified beside the faithful conversation) and the given chunk cap (0: refuse over-long prompts).
    /// </summary>
    public static ModerationPipelineOptions CreatePipelineOptions(int maxChunks = 0, TextSafetyCounters? counters = null) => new()
    {
        Normalizer = UnicodeTextNormalizer.Instance,
        Neutralizer = ConversationFormatNeutralizer.Instance,
        MaxChunks = maxChunks,
        Counters = counters ?? new TextSafetyCounters(),
    };
}
