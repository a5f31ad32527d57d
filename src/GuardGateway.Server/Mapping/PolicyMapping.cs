using System.Globalization;
using GuardGateway.Contracts.V1;
using GuardGateway.Core.Policies;
using GuardGateway.Server.Errors;
using Google.Rpc;
using Grpc.Core;
using PolicyDiagnosticDto = GuardGateway.Contracts.V1.PolicyDiagnostic;

namespace GuardGateway.Server.Mapping;

/// <summary>Domain policies, diagnostics and admin errors -> wire messages and statuses.</summary>
internal static class PolicyMapping
{
    /// <summary>The summary of a loaded policy.</summary>
    public static PolicySummary ToSummary(ModerationPolicy policy, string defaultPolicyId) => new()
    {
        Id = policy.Id,
        Version = policy.Version,
        Description = policy.Description,
        Format = policy.FormatId,
        IsDefault = string.Equals(policy.Id, defaultPolicyId, StringComparison.Ordinal),
        CategoryCount = policy.EnabledCategories.Count(),
        OnError = policy.OnError == FailMode.Open ? "open" : "closed",
    };

    /// <summary>A diagnostic on the wire.</summary>
    public static PolicyDiagnosticDto ToWire(Core.Policies.PolicyDiagnostic diagnostic) => new()
    {
        Message = diagnostic.Message,
        Line = diagnostic.Line,
        Column = diagnostic.Column,
        Code = diagnostic.Code,
        File = diagnostic.File,
        Severity = diagnostic.IsError ? "error" : "warning",
    };

    /// <summary><c>INVALID_ARGUMENT</c> with every error diagnostic as a field violation on <paramref name="field"/>.</summary>
    public static RpcException Invalid(IReadOnlyList<Core.Policies.PolicyDiagnostic> diagnostics, string field, string message)
    {
        var errors = diagnostics.Where(d => d.IsError).ToList();
        var violations = errors.Select(d => GrpcErrors.Violation(
            field,
            string.Create(CultureInfo.InvariantCulture, $"{d.Line}:{d.Column}: {d.Code}: {d.Message}")));
        var metadata = new Dictionary<string, string> { ["error_count"] = errors.Count.ToString(CultureInfo.InvariantCulture) };
        return GrpcErrors.Create(StatusCode.InvalidArgument, ErrorReasons.PolicyInvalid, message, metadata, violations);
    }

    /// <summary>The status of a refused admin operation.</summary>
    public static RpcException ToRpcException(PolicyAdminError error, string field) => error.Kind switch
    {
        PolicyAdminErrorKind.NotFound => GrpcErrors.Create(StatusCode.NotFound, ErrorReasons.PolicyNotFound, error.Message),
        PolicyAdminErrorKind.Invalid => Invalid(error.Diagnostics, field, error.Message),
        PolicyAdminErrorKind.VersionConflict => GrpcErrors.Create(
            StatusCode.Aborted,
            ErrorReasons.VersionConflict,
            error.Message,
            new Dictionary<string, string> { ["current_version"] = error.CurrentVersion ?? string.Empty }),
        PolicyAdminErrorKind.StorageFailure => GrpcErrors.Create(StatusCode.Unavailable, ErrorReasons.PolicyStorageFailure, error.Message),
        _ => GrpcErrors.Create(StatusCode.Internal, ErrorReasons.Internal, "Internal error."),
    };

    /// <summary>A field violation list from a BadRequest, for tests and tools.</summary>
    public static IEnumerable<BadRequest.Types.FieldViolation> Violations(RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations ?? Enumerable.Empty<BadRequest.Types.FieldViolation>();
}
