using GuardGateway.Core.Redaction;
using GuardGateway.Redaction.Detection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GuardGateway.Redaction.DependencyInjection;

/// <summary>Registration of the redaction engine (ARCHITECTURE.md §5: one <c>AddGuardXxx</c> per assembly, <c>TryAdd*</c>).</summary>
public static class GuardRedactionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRedactor"/> (<see cref="Redactor"/>) and the shared <see cref="PersonalDataScanner"/>
    /// as singletons, unless already registered (tests substitute either).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddGuardRedaction(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(PersonalDataScanner.Default);
        services.TryAddSingleton<IRedactor>(provider => new Redactor(provider.GetRequiredService<PersonalDataScanner>()));
        return services;
    }
}
