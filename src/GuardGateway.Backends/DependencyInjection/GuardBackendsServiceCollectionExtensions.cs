using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.Resilience;
using GuardGateway.Backends.Routing;
using GuardGateway.Core.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace GuardGateway.Backends.DependencyInjection;

/// <summary>Registration of the backend clients (ARCHITECTURE.md §5: one <c>AddGuardXxx</c> per assembly, <c>TryAdd*</c>).</summary>
public static class GuardBackendsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IChatBackendRouter"/>, one named resilience pipeline per backend (key
    /// <c>guardgateway-backend:{Name}</c>) and <see cref="GuardBackendsOptions"/> bound from
    /// <paramref name="configuration"/> (the section holding the <c>Backends</c> list), validated at startup.
    /// </summary>
    public static IServiceCollection AddGuardBackends(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddGuardBackends(options => configuration.Bind(options));
    }

    /// <summary>The same, configured in code.</summary>
    public static IServiceCollection AddGuardBackends(this IServiceCollection services, Action<GuardBackendsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<GuardBackendsOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardBackendsOptions>, GuardBackendsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddResiliencePipelines<string>(context =>
        {
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            foreach (var backend in context.ServiceProvider.GetRequiredService<IOptions<GuardBackendsOptions>>().Value.Backends)
            {
                context.AddResiliencePipeline(BackendPipeline.Key(backend.Name), (builder, pipeline) =>
                {
                    var limiter = BackendPipeline.Configure(builder, backend, time);
                    pipeline.OnPipelineDisposed(limiter.Dispose);
                });
            }
        });
        services.TryAddSingleton<IChatBackendRouter, ChatBackendRouter>();
        return services;
    }
}
