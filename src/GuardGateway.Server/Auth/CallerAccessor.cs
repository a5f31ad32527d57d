using Grpc.Core;

namespace GuardGateway.Server.Auth;

/// <summary>Where the auth interceptor leaves the caller for the services.</summary>
internal static class CallerAccessor
{
    private const string Key = "guardgateway.caller";

    /// <summary>Stores the caller of a call.</summary>
    public static void Set(ServerCallContext context, Caller caller) => context.UserState[Key] = caller;

    /// <summary>The caller of a call (anonymous when the interceptor did not run, e.g. health checks).</summary>
    public static Caller Get(ServerCallContext context) =>
        context.UserState.TryGetValue(Key, out var value) && value is Caller caller ? caller : Caller.Anonymous;
}
