using GuardGateway.Core.Categories;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Moderation;

/// <summary>
/// Moderates one direction of a conversation under one policy: picks the slice to assess, builds the guard
/// request from the policy, classifies, and evaluates. Thread-safe; holds no state besides the classifier.
/// </summary>
public sealed class ModerationPipeline
{
    private readonly IUnsupportedLanguageDetector? _languages;

    /// <summary>Creates a pipeline over a classifier, optionally with a language detector for <c>unsupported_language</c>.</summary>
    public ModerationPipeline(IGuardClassifier classifier, IUnsupportedLanguageDetector? languages = null)
    {
        Classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        _languages = languages;
    }

    /// <summary>The classifier behind this pipeline.</summary>
    public IGuardClassifier Classifier { get; }

    /// <summary>
    /// Moderates the last user message (<see cref="ModerationDirection.Input"/>, assessed as <c>User</c>) or
    /// the last assistant message (<see cref="ModerationDirection.Output"/>, assessed as <c>Agent</c>), with
    /// the turns before it as context. Returns a decision for every outcome of the classifier, including
    /// failures (the policy's fail mode decides); returns an error only for an invalid conversation
    /// (<see cref="GuardErrorCode.InvalidRequest"/>) or when <paramref name="cancellationToken"/> was cancelled
    /// (<see cref="GuardErrorCode.Cancelled"/>): then there is nobody to decide for.
    /// </summary>
    public async ValueTask<Result<ModerationDecision>> ModerateAsync(
        IReadOnlyList<ChatMessage> conversation,
        ModerationPolicy policy,
        ModerationDirection direction,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var slice = SelectSlice(conversation, direction);
        if (!slice.IsSuccess)
        {
            return slice.Error;
        }

        // Only the assessed (last) message decides the language; the earlier turns are context.
        var unsupported = _languages?.IsUnsupported(slice.Value[^1].Content) == true;
        if (unsupported && policy.UnsupportedLanguage == UnsupportedLanguageAction.Block)
        {
            return DecisionEvaluator.BlockUnsupportedLanguage(policy, direction, Classifier.Model.Name);
        }

        var decided = await ClassifyAndEvaluateAsync(slice.Value, policy, direction, cancellationToken);
        return unsupported && decided.IsSuccess ? DecisionEvaluator.ApplyUnsupportedLanguage(decided.Value, policy) : decided;
    }

    private async ValueTask<Result<ModerationDecision>> ClassifyAndEvaluateAsync(
        IReadOnlyList<ChatMessage> slice,
        ModerationPolicy policy,
        ModerationDirection direction,
        CancellationToken cancellationToken)
    {
        var request = BuildRequest(slice, policy, direction);
        Result<GuardClassification> classified;
        try
        {
            classified = await Classifier.ClassifyAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new GuardError(GuardErrorCode.Cancelled, "The request was cancelled before the guard answered.");
        }
#pragma warning disable CA1031 // A classifier bug must still follow the policy's fail mode (fail closed by default), not escape as a 500.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            classified = new GuardError(GuardErrorCode.ClassifierFailure, $"The classifier threw {exception.GetType().Name}.");
        }

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

    /// <summary>
    /// The turns to send to the guard: for input, everything up to and including the last user message; for
    /// output, everything up to and including the last assistant message. The whole conversation must
    /// alternate user/assistant starting with the user (spec §2: never a silent fix).
    /// </summary>
    public static Result<IReadOnlyList<ChatMessage>> SelectSlice(IReadOnlyList<ChatMessage>? conversation, ModerationDirection direction)
    {
        if (conversation is null || conversation.Count == 0)
        {
            return GuardError.Invalid("The conversation is empty; at least one user message is required.");
        }

        for (var i = 0; i < conversation.Count; i++)
        {
            var expected = i % 2 == 0 ? ChatRole.User : ChatRole.Assistant;
            if (conversation[i]?.Content is null)
            {
                return GuardError.Invalid($"Message {i} is missing its content.");
            }

            if (conversation[i].Role != expected)
            {
                return GuardError.Invalid(
                    $"Message {i} has role '{conversation[i].Role.ToWireName()}' but roles must alternate user/assistant starting with user (expected '{expected.ToWireName()}').");
            }
        }

        var lastRole = direction == ModerationDirection.Input ? ChatRole.User : ChatRole.Assistant;
        var end = conversation.Count - 1;
        if (conversation[end].Role != lastRole)
        {
            end--;
        }

        if (end < 0)
        {
            return GuardError.Invalid("Output moderation needs an assistant message to assess.");
        }

        IReadOnlyList<ChatMessage> slice = end == conversation.Count - 1 ? conversation : [.. conversation.Take(end + 1)];
        return Result.Success(slice);
    }

    /// <summary>
    /// The guard request for a policy: its format, its categories' prompt texts (and descriptions), its
    /// exclusions, and a category threshold equal to the lowest threshold of any enabled category in this
    /// direction, so the list is force-decoded whenever some category could be reported (spec §5).
    /// </summary>
    public static GuardClassificationRequest BuildRequest(IReadOnlyList<ChatMessage> slice, ModerationPolicy policy, ModerationDirection direction)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(policy);
        var threshold = policy.Threshold;
        var any = false;
        foreach (var category in policy.EnabledCategories)
        {
            var t = policy.ThresholdFor(category, direction);
            threshold = any ? Math.Min(threshold, t) : t;
            any = true;
        }

        return new GuardClassificationRequest
        {
            Messages = slice,
            FormatId = policy.FormatId,
            Categories = [.. policy.Categories.Select(c => new GuardCategory(c.Code, c.Prompt, c.Description))],
            ExcludedCodes = policy.Exclude,
            IncludeDescriptions = policy.IncludeDescriptions,
            CategoryThreshold = threshold,
        };
    }
}
