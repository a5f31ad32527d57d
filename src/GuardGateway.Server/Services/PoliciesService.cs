using GuardGateway.Contracts.V1;
using GuardGateway.Core.Policies;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Logging;
using GuardGateway.Server.Mapping;
using GuardGateway.Server.Options;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PoliciesApi = GuardGateway.Contracts.V1.Policies;

namespace GuardGateway.Server.Services;

/// <summary>
/// The <c>guardgateway.v1.Policies</c> admin service (the auth interceptor admits admin and policy-owner keys
/// only). A put or delete that relaxes a protected category (<see cref="PolicyElevation"/>) needs a
/// policy-owner key: an admin key gets <c>PERMISSION_DENIED</c> / <c>ELEVATION_REQUIRED</c> with the list of
/// relaxations. Every applied change is audited by the store's <see cref="IPolicyAuditSink"/> with the key id.
/// </summary>
internal sealed class PoliciesService(
    IPolicyAdmin admin,
    IPolicyStore store,
    Moderator moderator,
    IOptions<LimitsOptions> limits,
    IOptions<AuthOptions> auth,
    ILogger<PoliciesService> logger) : PoliciesApi.PoliciesBase
{
    // ErrorInfo metadata values are bounded: a hostile policy could list many bindings.
    private const int MaxListedRelaxations = 20;

    public override Task<ListPoliciesResponse> ListPolicies(ListPoliciesRequest request, ServerCallContext context)
    {
        var current = store.Current;
        var response = new ListPoliciesResponse();
        response.Policies.AddRange(admin.ListPolicies().Select(p => PolicyMapping.ToSummary(p, current.DefaultPolicyId)));
        response.LoadErrors.AddRange(store.Status.LastDiagnostics.Select(PolicyMapping.ToWire));
        return Task.FromResult(response);
    }

    public override Task<GetPolicyResponse> GetPolicy(GetPolicyRequest request, ServerCallContext context)
    {
        RequireId(request.Id);
        var document = admin.GetPolicy(request.Id);
        if (!document.IsSuccess)
        {
            throw PolicyMapping.ToRpcException(document.Error, "id");
        }

        return Task.FromResult(new GetPolicyResponse { Policy = Summarize(document.Value), Yaml = document.Value.Yaml });
    }

    public override Task<ValidatePolicyResponse> ValidatePolicy(ValidatePolicyRequest request, ServerCallContext context)
    {
        var validation = admin.ValidatePolicy(request.Yaml, request.Id.Length > 0 ? request.Id : null);
        var response = new ValidatePolicyResponse { Valid = validation.IsValid };
        response.Diagnostics.AddRange(validation.Diagnostics.Select(PolicyMapping.ToWire));
        if (validation.IsValid)
        {
            response.Policy = PolicyMapping.ToSummary(validation.Policy!, store.Current.DefaultPolicyId);
        }

        return Task.FromResult(response);
    }

    public override async Task<PutPolicyResponse> PutPolicy(PutPolicyRequest request, ServerCallContext context)
    {
        RequireId(request.Id);
        var actor = ActorOf(context);
        var previous = store.Current.Find(request.Id)?.Version ?? string.Empty;
        var expected = request.ExpectedVersion.Length > 0 ? request.ExpectedVersion : null;
        if (CallerAccessor.Get(context).Role != CallerRole.PolicyOwner)
        {
            // Checked against one snapshot; the write is then pinned to the version checked, so a concurrent
            // change cannot turn an allowed edit into an unchecked relaxation (the caller gets ABORTED instead).
            var current = store.Current;
            var validation = admin.ValidatePolicy(request.Yaml, request.Id);
            if (validation.IsValid)
            {
                var relaxations = PolicyElevation.ForPut(current, request.Id, validation.Policy!, auth.Value.EffectiveProtectedCategories);
                if (relaxations.Count > 0)
                {
                    throw ElevationRequired("put", request.Id, relaxations, actor);
                }

                expected = Pin(expected, current.Find(request.Id)?.Version);
            }
        }

        var stored = await admin.PutPolicyAsync(request.Id, request.Yaml, expected, actor, context.CancellationToken);
        if (!stored.IsSuccess)
        {
            var kind = stored.Error.Kind;
            ServerLog.PolicyChangeRefused(logger, "put", request.Id, kind, actor);
            throw PolicyMapping.ToRpcException(stored.Error, "yaml");
        }

        return new PutPolicyResponse { Policy = Summarize(stored.Value), PreviousVersion = previous };
    }

    public override async Task<DeletePolicyResponse> DeletePolicy(DeletePolicyRequest request, ServerCallContext context)
    {
        RequireId(request.Id);
        if (request.ExpectedVersion.Length == 0)
        {
            const string message = "expected_version is required (the current version, or \"*\" for any).";
            throw GrpcErrors.Create(StatusCode.InvalidArgument, ErrorReasons.InvalidRequest, message, violations: [GrpcErrors.Violation("expected_version", message)]);
        }

        var actor = ActorOf(context);
        var expectedVersion = request.ExpectedVersion;
        if (CallerAccessor.Get(context).Role != CallerRole.PolicyOwner)
        {
            var current = store.Current;
            var relaxations = PolicyElevation.ForDelete(current, request.Id, auth.Value.EffectiveProtectedCategories);
            if (relaxations.Count > 0)
            {
                throw ElevationRequired("delete", request.Id, relaxations, actor);
            }

            expectedVersion = Pin(expectedVersion, current.Find(request.Id)?.Version) ?? expectedVersion;
        }

        var deleted = await admin.DeletePolicyAsync(request.Id, expectedVersion, actor, context.CancellationToken);
        if (!deleted.IsSuccess)
        {
            var kind = deleted.Error.Kind;
            ServerLog.PolicyChangeRefused(logger, "delete", request.Id, kind, actor);
            throw PolicyMapping.ToRpcException(deleted.Error, "id");
        }

        return new DeletePolicyResponse { DeletedVersion = deleted.Value };
    }

    public override async Task<TestPolicyResponse> TestPolicy(TestPolicyRequest request, ServerCallContext context)
    {
        var validation = admin.ValidatePolicy(request.Yaml);
        if (!validation.IsValid)
        {
            throw PolicyMapping.Invalid(validation.Diagnostics, "yaml", "The policy text is invalid.");
        }

        var messages = ConversationMapping.ToMessages(request.Messages, limits.Value.MaxMessages);
        var direction = ConversationMapping.ToDirection(request.Direction, messages);
        var result = await moderator.ModerateAsync(messages, direction, validation.Policy!, "dry-run", recordMetrics: false, context.CancellationToken);
        return new TestPolicyResponse { Result = result };
    }

    private PolicySummary Summarize(PolicyDocument document)
    {
        var current = store.Current;
        var policy = current.Find(document.Id);
        return policy is not null
            ? PolicyMapping.ToSummary(policy, current.DefaultPolicyId)
            : new PolicySummary { Id = document.Id, Version = document.Version };
    }

    private RpcException ElevationRequired(string operation, string id, IReadOnlyList<string> relaxations, string actor)
    {
        ServerLog.PolicyChangeNeedsElevation(logger, operation, id, relaxations.Count, actor);
        var listed = relaxations.Take(MaxListedRelaxations).ToList();
        var more = relaxations.Count > listed.Count ? $"; and {relaxations.Count - listed.Count} more" : string.Empty;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["policy_id"] = id,
            ["relaxations"] = string.Join("; ", listed) + more,
            ["protected_categories"] = string.Join(",", auth.Value.EffectiveProtectedCategories),
        };
        return GrpcErrors.Create(
            StatusCode.PermissionDenied,
            ErrorReasons.ElevationRequired,
            $"This change relaxes a protected category and needs a policy-owner key (Auth:PolicyOwnerKeys): {metadata["relaxations"]}.",
            metadata);
    }

    // An unconditional write ("*") from a non-owner is pinned to the version its relaxation check saw
    // (create-only when the policy did not exist then).
    private static string? Pin(string? expected, string? checkedVersion) =>
        expected == PolicyVersions.Any ? checkedVersion : expected;

    private static string ActorOf(ServerCallContext context) => CallerAccessor.Get(context).KeyId ?? "unknown";

    private static void RequireId(string id)
    {
        if (id.Length == 0)
        {
            throw GrpcErrors.Create(StatusCode.InvalidArgument, ErrorReasons.InvalidRequest, "id is required.", violations: [GrpcErrors.Violation("id", "id is required.")]);
        }
    }
}
