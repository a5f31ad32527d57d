using System.Threading.RateLimiting;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.OpenAi;

/// <summary>
/// A request of the HTTP front past its common first steps, in order: the caller authenticated (401 otherwise, logged),
/// a permit of the <see cref="ProxyLimiter"/> taken (429 otherwise), a usable request id and a body within the size
/// limit. Holds the permit until disposed: dispose it when the request ends.
/// </summary>
internal sealed class OpenAiAdmission : IDisposable
{
    private readonly RateLimitLease _lease;

    private OpenAiAdmission(Caller caller, string requestId, ReadOnlyMemory<byte> body, RateLimitLease lease)
    {
        Caller = caller;
        RequestId = requestId;
        Body = body;
        _lease = lease;
    }

    /// <summary>The authenticated caller (anonymous when client keys are off).</summary>
    public Caller Caller { get; }

    /// <summary>The caller's <c>X-Request-Id</c>, or a new id.</summary>
    public string RequestId { get; }

    /// <summary>The request body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>
    /// Admits the request on <paramref name="route"/>, or writes the OpenAI-shaped error and returns null.
    /// </summary>
    public static async Task<OpenAiAdmission?> TryAdmitAsync(
        HttpContext context,
        string route,
        ApiKeyRing keys,
        ProxyLimiter limiter,
        int maxRequestBytes,
        ILogger logger)
    {
        var (caller, authError) = OpenAiRequestReader.Authenticate(context, keys);
        if (authError is not null)
        {
            ProxyLog.Refused(logger, "http", route, authError.Code);
            await OpenAiErrors.WriteAsync(context, authError);
            return null;
        }

        var lease = limiter.TryEnter();
        if (lease is null)
        {
            await OpenAiErrors.WriteAsync(context, ProxyLimiter.Refused);
            return null;
        }

        try
        {
            var (requestId, idError) = OpenAiRequestReader.RequestId(context);
            var (body, bodyError) = idError is null ? await OpenAiRequestReader.ReadBodyAsync(context, maxRequestBytes) : (default, null);
            if ((idError ?? bodyError) is { } early)
            {
                await OpenAiErrors.WriteAsync(context, early);
                lease.Dispose();
                return null;
            }

            return new OpenAiAdmission(caller!, requestId!, body, lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>Releases the limiter permit.</summary>
    public void Dispose() => _lease.Dispose();
}
