using GuardGateway.Backends.DependencyInjection;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Streaming;
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
        services.TryAddSingleton<BlockedLatencyShaper>();
        services.TryAddSingleton<PromptDecoder>();
        services.TryAddSingleton(sp => new StreamModerator(
            sp.GetRequiredService<ModerationPipeline>(),
            StreamingOptions(configuration.GetSection(ProxyOptions.SectionName + ":Streaming")),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ProxyMetrics>();
        services.TryAddSingleton<ChatProxy>();
        services.TryAddSingleton<OpenAiChatEndpoint>();
        services.TryAddSingleton<OpenAiModerationsEndpoint>();
    }

    /// <summary>The check points of verify-then-release streaming (<c>Proxy:Streaming:*</c>; defaults of <see cref="StreamModerationOptions"/>).</summary>
    private static StreamModerationOptions StreamingOptions(IConfiguration section)
    {
        var defaults = StreamModerationOptions.Default;
        return new StreamModerationOptions
        {
            CheckIntervalChars = section.GetValue(nameof(defaults.CheckIntervalChars), defaults.CheckIntervalChars),
            CheckIntervalTokens = section.GetValue(nameof(defaults.CheckIntervalTokens), defaults.CheckIntervalTokens),
            CheckAtSentenceEnds = section.GetValue(nameof(defaults.CheckAtSentenceEnds), defaults.CheckAtSentenceEnds),
            MinSentenceCheckChars = section.GetValue(nameof(defaults.MinSentenceCheckChars), defaults.MinSentenceCheckChars),
            MaxHeldWordChars = section.GetValue(nameof(defaults.MaxHeldWordChars), defaults.MaxHeldWordChars),
        };
    }

    /// <summary>Maps the gRPC Chat service and the HTTP routes.</summary>
    public static void MapGuardProxy(WebApplication app)
    {
        app.MapGrpcService<ChatService>();
        OpenAiFront.Map(app);
    }
}
