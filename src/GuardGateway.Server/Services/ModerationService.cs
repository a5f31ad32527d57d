using GuardGateway.Contracts.V1;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Mapping;
using GuardGateway.Server.Model;
using GuardGateway.Server.Options;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Services;

/// <summary>The <c>guardgateway.v1.Moderation</c> service.</summary>
internal sealed class ModerationService(Moderator moderator, IPolicyStore policies, GuardModelState model, IOptions<LimitsOptions> limits) : Moderation.ModerationBase
{
    public override Task<ModerateResponse> Moderate(ModerateRequest request, ServerCallContext context) =>
        ModerateOneAsync(request, CallerAccessor.Get(context), context.CancellationToken);

    public override async Task<ModerateBatchResponse> ModerateBatch(ModerateBatchRequest request, ServerCallContext context)
    {
        var max = limits.Value.MaxBatchSize;
        if (request.Requests.Count > max)
        {
            throw GrpcErrors.Create(
                StatusCode.ResourceExhausted,
                ErrorReasons.BatchTooLarge,
                $"At most {max} conversations per batch; got {request.Requests.Count}.");
        }

        var caller = CallerAccessor.Get(context);

        // All items at once: the engine batches concurrent classifications.
        var items = await Task.WhenAll(request.Requests.Select(item => ModerateItemAsync(item, caller, context.CancellationToken)));
        var response = new ModerateBatchResponse();
        response.Results.AddRange(items);
        return response;
    }

    private async Task<ModerateBatchResult> ModerateItemAsync(ModerateRequest item, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return new ModerateBatchResult { Response = await ModerateOneAsync(item, caller, cancellationToken) };
        }
        catch (RpcException exception) when (exception.StatusCode != StatusCode.Cancelled)
        {
            return new ModerateBatchResult { Error = BatchErrors.From(exception) };
        }
    }

    private async Task<ModerateResponse> ModerateOneAsync(ModerateRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var messages = ConversationMapping.ToMessages(request.Messages, limits.Value.MaxMessages);
        var direction = ConversationMapping.ToDirection(request.Direction, messages);
        var requestId = ConversationMapping.ToRequestId(request.RequestId);

        // One snapshot per request: a reload racing with this call is either wholly seen or not at all.
        var selected = policies.Current.Select(new PolicySelectionRequest(
            RequestedPolicyId: request.Policy.Length > 0 ? request.Policy : null,
            ApiKeyId: caller.KeyId));
        if (!selected.IsSuccess)
        {
            throw selected.Error.Code == GuardErrorCode.PolicyNotFound
                ? GrpcErrors.Create(StatusCode.NotFound, ErrorReasons.PolicyNotFound, selected.Error.Message, violations: [GrpcErrors.Violation("policy", selected.Error.Message)])
                : GuardErrorMapping.ToRpcException(selected.Error);
        }

        // The store accepts every known format (the model loads later); a policy for another model family
        // cannot be judged by this one.
        if (model.Classifier is { } loaded && !loaded.Model.SupportedFormats.Contains(selected.Value.FormatId, StringComparer.Ordinal))
        {
            throw GrpcErrors.Create(
                StatusCode.FailedPrecondition,
                ErrorReasons.PolicyUnavailable,
                $"Policy '{selected.Value.Id}' uses the prompt format '{selected.Value.FormatId}', which the loaded model ({loaded.Model.Name}) cannot serve.");
        }

        return await moderator.ModerateAsync(messages, direction, selected.Value, requestId, recordMetrics: true, cancellationToken);
    }
}
