using GuardGateway.Backends.DependencyInjection;
using GuardGateway.Core.Backends;
using GuardGateway.Redaction.DependencyInjection;
using GuardGateway.Server.OpenAi;
using GuardGateway.Server.Proxy.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy;

/// <summary>Registers and maps the gateway proxy: the gRPC Chat service and the OpenAI-compatible HTTP front.</summary>
internal static class GuardProxyRegistration
{
    /// <summary>
    /// Registers the proxy. The model servers are the top-level <c>Backends</c> list (bound by <c>AddGuardBackends</c>,
    /// validated at start); without one, chat routes answer "no backend configured" (502 / UNAVAILABLE) and the
    /// moderation routes keep working.
    /// </summary>
    public static void AddGuardProxy(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>());
        if (configuration.GetSection("Backends").GetChildren().Any())
        {
            services.AddGuardBackends(configuration);
        }
        else
        {
            services.TryAddSingleton<IChatBackendRouter, NoBackendRouter>();
        }

        services.AddGuardRedaction();
        services.TryAddSingleton<ProxyModerator>();
        services.TryAddSingleton<ProxyPolicies>();
        services.TryAddSingleton<ProxyLimiter>();
        services.TryAddSingleton<PromptDecoder>();
        services.TryAddSingleton<ChatProxy>();
        services.TryAddSingleton<OpenAiChatEndpoint>();
        services.TryAddSingleton<OpenAiModerationsEndpoint>();
    }

    /// <summary>Maps the gRPC Chat service and the HTTP routes.</summary>
    public static void MapGuardProxy(WebApplication app)
    {
        app.MapGrpcService<ChatService>();
        OpenAiFront.Map(app);
    }
}
