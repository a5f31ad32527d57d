using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Moderation;

/// <summary>Classifying one copy of the slice, in chunks when it is too long (never truncated).</summary>
public sealed partial class ModerationPipeline
{
    private async ValueTask<CopyOutcome> ClassifyCopyAsync(
        IReadOnlyList<ChatMessage> slice,
        ModerationPolicy policy,
        ModerationDirection direction,
        CancellationToken cancellationToken)
    {
        var classified = await ClassifySafelyAsync(BuildRequest(slice, policy, direction), cancellationToken);
        if (!classified.IsSuccess && classified.Error.Code == GuardErrorCode.PromptTooLong)
        {
            // Never a fail-mode decision: fail-open would forward text nobody classified (the truncation threat).
            return _options.MaxChunks == 0
                ? new CopyOutcome(classified.Error)
                : await ClassifyChunksAsync(slice, policy, direction, cancellationToken);
        }

        return new CopyOutcome(Evaluate(classified, policy, direction, cancellationToken));
    }

    private async ValueTask<CopyOutcome> ClassifyChunksAsync(
        IReadOnlyList<ChatMessage> slice,
        ModerationPolicy policy,
        ModerationDirection direction,
        CancellationToken cancellationToken)
    {
        var assessed = slice[^1];
        var text = assessed.Content;
        var size = _options.ChunkCharacters;
        var overlap = _options.ChunkOverlapCharacters;
        if (ChunkPlanner.EstimateCount(text.Length, size, overlap) > _options.MaxChunks + 1L)
        {
            return new CopyOutcome(TooManyChunks(ChunkPlanner.EstimateCount(text.Length, size, overlap)));
        }

        var plan = ChunkPlanner.Plan(text, size, overlap);
        if (plan.Count > _options.MaxChunks)
        {
            return new CopyOutcome(TooManyChunks(plan.Count));
        }

        // Stryker disable once all: unreachable while ChunkPlanner.Plan is correct (ChunkPlannerTests check that every
        // plan covers its text); kept as a tripwire so a planner bug refuses instead of truncating.
        if (!ChunkPlanner.Covers(plan, text.Length, overlap))
        {
            // The only path that counts a silent truncation: a broken plan is refused, not classified.
            Counters.AddSilentTruncation();
            return new CopyOutcome(new GuardError(GuardErrorCode.PromptTooLong, "Refused: the chunk plan would not cover the whole message."));
        }

        ModerationDecision? strictest = null;
        int chunks = 0, withoutContext = 0;
        var hasContext = slice.Count > 1;
        var useContext = hasContext;
        foreach (var range in plan)
        {
            var chunk = text[range];
            Result<GuardClassification> classified;
            if (useContext)
            {
                ChatMessage[] inContext = [.. slice.Take(slice.Count - 1), assessed with { Content = chunk }];
                classified = await ClassifySafelyAsync(BuildRequest(inContext, policy, direction), cancellationToken);
                if (!classified.IsSuccess && classified.Error.Code == GuardErrorCode.PromptTooLong)
                {
                    useContext = false; // the earlier turns alone are too long: judge every chunk on its own
                }
            }
            else
            {
                classified = default;
            }

            if (!useContext)
            {
                withoutContext += hasContext ? 1 : 0;
                classified = await ClassifySafelyAsync(BuildRequest(Alone(chunk, direction), policy, direction), cancellationToken);
                if (!classified.IsSuccess && classified.Error.Code == GuardErrorCode.PromptTooLong)
                {
                    return new CopyOutcome(new GuardError(
                        GuardErrorCode.PromptTooLong,
                        $"A chunk of {chunk.Length} characters is too long for the guard even on its own; lower the chunk size."));
                }
            }

            chunks++;
            var decided = Evaluate(classified, policy, direction, cancellationToken);
            if (!decided.IsSuccess)
            {
                return new CopyOutcome(decided.Error, chunks, withoutContext);
            }

            if (strictest is null || IsStricter(decided.Value, strictest))
            {
                strictest = decided.Value;
            }

            // A block (or a no-verdict, which the fail mode decides) cannot be outdone by later chunks.
            if (strictest.NoVerdict is not null || strictest.Action == ModerationAction.Block)
            {
                break;
            }
        }

        Counters.AddChunked(chunks);
        return new CopyOutcome(strictest!, chunks, withoutContext);
    }

    private GuardError TooManyChunks(long needed) => new(
        GuardErrorCode.PromptTooLong,
        $"The message is too long for the guard: it would need {needed} chunks of {_options.ChunkCharacters} characters; the limit is {_options.MaxChunks}.");

    /// <summary>A chunk without the earlier turns: as the user's message, or as the agent's answer to an empty question.</summary>
    private static ChatMessage[] Alone(string chunk, ModerationDirection direction) => direction == ModerationDirection.Input
        ? [new ChatMessage(ChatRole.User, chunk)]
        : [new ChatMessage(ChatRole.User, string.Empty), new ChatMessage(ChatRole.Assistant, chunk)];

    private async ValueTask<Result<GuardClassification>> ClassifySafelyAsync(GuardClassificationRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await Classifier.ClassifyAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new GuardError(GuardErrorCode.Cancelled, "The request was cancelled before the guard answered.");
        }
#pragma warning disable CA1031 // A classifier bug must still follow the policy's fail mode (fail closed by default), not escape as a 500.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new GuardError(GuardErrorCode.ClassifierFailure, $"The classifier threw {exception.GetType().Name}.");
        }
    }

    /// <summary>A decision for every classifier outcome but an invalid request or the caller's cancellation.</summary>
    private Result<ModerationDecision> Evaluate(Result<GuardClassification> classified, ModerationPolicy policy, ModerationDirection direction, CancellationToken cancellationToken)
    {
        if (classified.IsSuccess)
        {
            return DecisionEvaluator.Evaluate(classified.Value, policy, direction);
        }

        var error = classified.Error;
        if (error.Code == GuardErrorCode.InvalidRequest
            || (error.Code == GuardErrorCode.Cancelled && cancellationToken.IsCancellationRequested))
        {
            return error;
        }

        return DecisionEvaluator.EvaluateFailure(error, policy, direction, Classifier.Model.Name);
    }

    /// <summary>What classifying one copy produced, and how many chunks it took.</summary>
    private readonly record struct CopyOutcome(Result<ModerationDecision> Decision, int Chunks = 0, int ChunksWithoutContext = 0);
}
