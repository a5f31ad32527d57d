using GuardGateway.Server.Model;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>How to start a <see cref="GatewayHost"/>.</summary>
internal sealed class GatewayHostOptions
{
    /// <summary>Kestrel on 127.0.0.1 with ephemeral ports instead of the in-memory TestServer.</summary>
    public bool UseKestrel { get; init; }

    /// <summary>Use the production model source (the ONNX engine; the planted demo guard unless Guard:ModelPath is set).</summary>
    public bool UseEngine { get; init; }

    /// <summary>Serve this policy directory instead of a fresh one with the test policies.</summary>
    public string? PoliciesDirectory { get; init; }

    /// <summary>The model the server loads (default: the keyword fake, ungated).</summary>
    public IGuardModelSource? ModelSource { get; init; }

    /// <summary>Configure client and admin keys (default true).</summary>
    public bool WithKeys { get; init; } = true;

    /// <summary>Extra configuration (wins over the defaults).</summary>
    public Dictionary<string, string?> Configuration { get; init; } = [];

    /// <summary>Service substitutions, applied before the server's own (TryAdd) registrations.</summary>
    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>Capture framework (ASP.NET Core, gRPC) logs at Trace too, not only Information.</summary>
    public bool TraceFrameworkLogs { get; init; }

    /// <summary>Error-level log event ids the test expects (anything else fails the test).</summary>
    public IReadOnlySet<int> ExpectedErrorEventIds { get; init; } = new HashSet<int>();

    /// <summary>Text that must never appear in any log record (canaries sent as message content).</summary>
    public IReadOnlyList<string> ForbiddenLogText { get; init; } = ["canary-"];
}
