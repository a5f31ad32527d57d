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

/// <summary>The <c>guardgateway.v1.Policies</c> admin service (the auth interceptor admits admin keys only).</summary>
internal sealed class PoliciesService(
    IPolicyAdmin admin,
    IPolicyStore store,
    Moderator moderator,
    IOptions<LimitsOptions> limits,
    ILogger<PoliciesService> logger) : PoliciesApi.PoliciesBase
{
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
        var deleted = await admin.DeletePolicyAsync(request.Id, request.ExpectedVersion, actor, context.CancellationToken);
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

    private static string ActorOf(ServerCallContext context) => CallerAccessor.Get(context).KeyId ?? "unknown";

    private static void RequireId(string id)
    {
        if (id.Length == 0)
        {
            throw GrpcErrors.Create(StatusCode.InvalidArgument, ErrorReasons.InvalidRequest, "id is required.", violations: [GrpcErrors.Violation("id", "id is required.")]);
        }
    }
}
