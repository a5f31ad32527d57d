using Google.Rpc;
using Grpc.Core;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>Reads google.rpc details from a status exception.</summary>
internal static class StatusDetails
{
    public static ErrorInfo? Info(RpcException exception) => exception.GetRpcStatus()?.GetDetail<ErrorInfo>();

    public static IReadOnlyList<BadRequest.Types.FieldViolation> Violations(RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
}
