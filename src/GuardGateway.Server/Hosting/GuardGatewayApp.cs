using GuardGateway.Contracts.V1;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.TextSafety;
using GuardGateway.TextSafety.DependencyInjection;
using GuardGateway.TextSafety.Normalization;
using GuardGateway.Core.Policies;
using GuardGateway.Server.Services;
using GuardGateway.Server.PolicyHosting;
using GuardGateway.Policies.Store;
using GuardGateway.Inference.Options;
using Microsoft.Extensions.Logging;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Connections;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Health;
using GuardGateway.Server.Judgement;
using GuardGateway.Server.Limits;
using GuardGateway.Server.Metrics;
using GuardGateway.Server.Model;
using GuardGateway.Server.Options;
using GuardGateway.Server.Proxy;
using GuardGateway.Server.Resilience;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using Polly;
using Polly.Telemetry;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using PoliciesApi = GuardGateway.Contracts.V1.Policies;

namespace GuardGateway.Server.Hosting;

/// <summary>Builds the GuardGateway server: the only composition root.</summary>
public static class GuardGatewayApp
{
    /// <summary>The grpc.health.v1 service name that is SERVING whenever the process answers (liveness probes).</summary>
    public const string LivenessService = "liveness";

    /// <summary>
    /// Creates the application. <paramref name="configure"/> runs after the defaults are registered and before
    /// the app is built: tests use it to add configuration, swap the server (TestHost) or substitute services
    /// (every registration here is a TryAdd).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships beside the binary, wherever `dotnet run` is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        AddGuardServer(builder.Services, builder.Configuration);
        // Kestrel binds only its endpoints from configuration: the limits (Kestrel:Limits, explicit in appsettings.json
        // against HTTP/2 abuse, RELIABILITY.md T14) are bound here.
        builder.Services.Configure<KestrelServerOptions>(kestrel => builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits));

        var app = builder.Build();
        MapGuardServer(app);
        return app;
    }

    /// <summary>Registers every server service (TryAdd: earlier registrations win).</summary>
    internal static void AddGuardServer(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GuardOptions>().Bind(configuration.GetSection(GuardOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName)).ValidateOnStart();
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardOptions>, ServerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, ServerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LimitsOptions>, ServerOptionsValidator>());

        // Graceful drain (RELIABILITY.md T13): the host waits Shutdown:GraceSeconds for calls in flight; streams still
        // open just before that are ended with an error by ShutdownDrain, not cut or finished cleanly.
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>());
        services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.GraceSeconds));
        services.TryAddSingleton<ShutdownDrain>();

        // PING flood limiter on the h2c endpoints (RELIABILITY.md T14, Http2Guard).
        Http2GuardRegistration.AddHttp2Guard(services, configuration);

        services.TryAddSingleton<ApiKeyRing>();
        services.TryAddSingleton<GuardMetrics>();
        services.TryAddSingleton<ConcurrencyLimitInterceptor>();
        services.TryAddSingleton<GuardModelState>();
        services.AddOptions<GuardInferenceOptions>().Bind(configuration.GetSection(GuardInferenceOptions.SectionName));
        services.TryAddSingleton<IGuardModelSource, EngineModelSource>();
        services.AddOptions<ClassifierOptions>().Bind(configuration.GetSection(ClassifierOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClassifierOptions>, ClassifierOptionsValidator>());
        // Every classification goes through the named pipeline (RELIABILITY.md T22). Polly's registry keeps the first
        // builder added for a key, so a test that registers "guardgateway-classifier" before this (chaos) wins.
        services.AddResiliencePipeline<string, Result<GuardClassification>>(ClassifierPipeline.Key, (builder, context) =>
        {
            var limiter = ClassifierPipeline.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<ClassifierOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>());
            context.OnPipelineDisposed(limiter.Dispose);
        });
        services.Configure<TelemetryOptions>(ClassifierPipeline.ConfigureTelemetry);
        services.TryAddSingleton<ServingClassifier>();
        // Input defenses (RELIABILITY.md): Unicode normalization and format neutralization (a second,
        // stricter-wins classification when they change the text), language detection for policies'
        // unsupported_language rule, and long-input chunking (Guard:LongInputMaxChunks; 0 = reject).
        services.TryAddSingleton<ITextNormalizer>(sp => sp.GetRequiredService<IOptions<GuardOptions>>().Value.NormalizeStripsAccents
            ? UnicodeTextNormalizer.Instance
            : new UnicodeTextNormalizer(stripComposableAccents: false));
        services.AddGuardTextSafety();
        services.TryAddSingleton<TextSafetyCounters>();
        services.TryAddSingleton(sp => new ModerationPipeline(
            sp.GetRequiredService<ServingClassifier>(),
            sp.GetService<IUnsupportedLanguageDetector>(),
            new ModerationPipelineOptions
            {
                Normalizer = sp.GetService<ITextNormalizer>(),
                Neutralizer = sp.GetService<IPromptNeutralizer>(),
                MaxChunks = sp.GetRequiredService<IOptions<GuardOptions>>().Value.LongInputMaxChunks,
                Counters = sp.GetRequiredService<TextSafetyCounters>(),
            }));
        services.TryAddSingleton<DecisionRecorder>();
        services.TryAddSingleton<DeadlineModerator>();
        services.TryAddSingleton<Moderator>();
        services.TryAddSingleton<IPolicyAuditSink, LoggingPolicyAuditSink>();
        services.TryAddSingleton(sp => PolicyStoreFactory.Create(
            sp.GetRequiredService<IOptions<GuardOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PolicyStore>>(),
            sp.GetRequiredService<IPolicyAuditSink>()));
        services.TryAddSingleton<IPolicyStore>(sp => sp.GetRequiredService<PolicyStore>());
        services.TryAddSingleton<IPolicyAdmin>(sp => sp.GetRequiredService<PolicyStore>());
        services.AddHostedService<PolicyStoreHost>();
        services.AddHostedService<GuardModelLoader>();
        services.AddHostedService<StartupReport>();

        services.AddGrpc(options =>
        {
            // Never send exception text to callers (RELIABILITY.md T19).
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<UnexpectedErrorInterceptor>();
            options.Interceptors.Add<AuthInterceptor>();
            options.Interceptors.Add<ConcurrencyLimitInterceptor>();
        });
        services.AddOptions<GrpcServiceOptions>()
            .Configure<IOptions<LimitsOptions>>((grpc, limits) =>
            {
                // Both directions (RELIABILITY.md T15): a response over the limit (a Chat answer relayed from a backend
                // allowed more by Backends:MaxResponseBytes) ends RESOURCE_EXHAUSTED here, not in the client's decoder.
                grpc.MaxReceiveMessageSize = limits.Value.MaxMessageBytes;
                grpc.MaxSendMessageSize = limits.Value.MaxMessageBytes;
            });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks(options =>
        {
            // Probes ask now, not whatever a periodic publisher saw last.
            options.UseHealthChecksCache = false;
            options.Services.Map(string.Empty, _ => true);
            options.Services.Map(Moderation.Descriptor.FullName, _ => true);
            // Liveness (the Helm chart's livenessProbe): only a check that always passes, so SERVING whenever the process
            // answers (no check at all would be UNKNOWN). A model still loading or refused (pins) keeps the pod unready,
            // it does not restart it in a loop.
            options.Services.Map(LivenessService, result => result.Name == LivenessService);
        })
            .AddCheck<GuardModelHealthCheck>("model")
            .AddCheck<PolicyHealthCheck>("policies")
            .AddCheck(LivenessService, () => HealthCheckResult.Healthy("The process answers."));

        GuardProxyRegistration.AddGuardProxy(services, configuration);

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("GuardGateway.*")
            .AddPrometheusExporter());
    }

    /// <summary>Maps the endpoints: gRPC services, health, reflection, and on the HTTP endpoint /healthz and /metrics.</summary>
    internal static void MapGuardServer(WebApplication app)
    {
        app.MapGrpcService<ModerationService>();
        app.MapGrpcService<PoliciesService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthJsonWriter.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        GuardProxyRegistration.MapGuardProxy(app);
    }
}
