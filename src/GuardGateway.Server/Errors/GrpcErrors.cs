using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace GuardGateway.Server.Errors;

/// <summary>
/// Builds the one error shape of the API: a gRPC status with <c>google.rpc.ErrorInfo</c> (and
/// <c>google.rpc.BadRequest</c> field violations for validation). Messages are written here or come from
/// <see cref="Core.Results.GuardError"/>, which never carries payload text; exception text never reaches a caller.
/// </summary>
internal static class GrpcErrors
{
    /// <summary>A status exception with ErrorInfo and optional field violations.</summary>
    public static RpcException Create(
        StatusCode code,
        string reason,
        string message,
        IReadOnlyDictionary<string, string>? metadata = null,
        IEnumerable<BadRequest.Types.FieldViolation>? violations = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = ErrorReasons.Domain };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                info.Metadata[key] = value;
            }
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (violations is not null)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(violations);
            if (badRequest.FieldViolations.Count > 0)
            {
                status.Details.Add(Any.Pack(badRequest));
            }
        }

        return status.ToRpcException();
    }

    /// <summary>A field violation for <see cref="Create"/>.</summary>
    public static BadRequest.Types.FieldViolation Violation(string field, string description) =>
        new() { Field = field, Description = description };
}
