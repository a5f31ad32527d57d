using GuardGateway.Core.Results;
using Grpc.Core;

namespace GuardGateway.Server.Errors;

/// <summary>The one mapping from <see cref="GuardError"/> to a gRPC status (ARCHITECTURE.md §7).</summary>
internal static class GuardErrorMapping
{
    /// <summary>The status code and ErrorInfo reason for an error code.</summary>
    public static (StatusCode Code, string Reason) Classify(GuardErrorCode code) => code switch
    {
        GuardErrorCode.InvalidRequest => (StatusCode.InvalidArgument, ErrorReasons.InvalidRequest),
        GuardErrorCode.PromptTooLong => (StatusCode.InvalidArgument, ErrorReasons.PromptTooLong),
        GuardErrorCode.QueueFull => (StatusCode.ResourceExhausted, ErrorReasons.QueueFull),
        GuardErrorCode.Cancelled => (StatusCode.Cancelled, ErrorReasons.Cancelled),
        GuardErrorCode.ParseFailure => (StatusCode.Internal, ErrorReasons.ParseFailure),
        GuardErrorCode.ClassifierFailure => (StatusCode.Unavailable, ErrorReasons.ClassifierFailure),
        GuardErrorCode.ModelInvalid => (StatusCode.Unavailable, ErrorReasons.ModelInvalid),
        GuardErrorCode.PolicyNotFound => (StatusCode.NotFound, ErrorReasons.PolicyNotFound),
        GuardErrorCode.PolicyUnavailable => (StatusCode.FailedPrecondition, ErrorReasons.PolicyUnavailable),
        _ => (StatusCode.Internal, ErrorReasons.Internal),
    };

    /// <summary>The status exception for an error.</summary>
    public static RpcException ToRpcException(GuardError error, string? field = null)
    {
        var (code, reason) = Classify(error.Code);
        var violations = code == StatusCode.InvalidArgument && field is not null
            ? new[] { GrpcErrors.Violation(field, error.Message) }
            : null;
        return GrpcErrors.Create(code, reason, error.Message, violations: violations);
    }
}
