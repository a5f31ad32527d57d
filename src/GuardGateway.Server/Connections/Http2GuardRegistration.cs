using GuardGateway.Server.Metrics;
using GuardGateway.Server.Options;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Connections;

/// <summary>Binds <see cref="Http2GuardOptions"/> and installs <see cref="Http2FrameRateGuard"/> on every Kestrel endpoint.</summary>
internal static class Http2GuardRegistration
{
    public static void AddHttp2Guard(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Http2GuardOptions>().Bind(configuration.GetSection(Http2GuardOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Http2GuardOptions>, Http2GuardOptionsValidator>());
        // Endpoint defaults apply to the endpoints Kestrel binds from configuration (Kestrel:Endpoints), before any TLS
        // of their own: behind TLS terminated by Kestrel the guard sees ciphertext and passes the connection through.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<Http2GuardOptions>, GuardMetrics, ILogger<Http2FrameRateGuard>, TimeProvider>((kestrel, options, metrics, logger, time) =>
            {
                if (options.Value.Enabled)
                {
                    var guard = new Http2FrameRateGuard(options.Value, metrics, logger, time);
                    kestrel.ConfigureEndpointDefaults(listen => listen.Use(guard.Wrap));
                }
            });
    }
}
