using System.Diagnostics.CodeAnalysis;

namespace GuardGateway.Server.Proxy;

/// <summary>Either a moderated answer or an error.</summary>
internal readonly record struct ProxyOutcome(ProxyAnswer? Answer, ProxyError? Error)
{
    /// <summary>Whether this holds an answer.</summary>
    [MemberNotNullWhen(true, nameof(Answer))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static implicit operator ProxyOutcome(ProxyAnswer answer) => new(answer, null);

    public static implicit operator ProxyOutcome(ProxyError error) => new(null, error);
}
