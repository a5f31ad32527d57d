using GuardGateway.Core.Categories;
using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.TextSafety;

namespace GuardGateway.Core.Moderation;

/// <summary>
/// Moderates one direction of a conversation under one policy: picks the slice to assess, builds the guard
/// request from the policy, classifies, and evaluates. Thread-safe; holds no state besides the classifier,
/// its options and their counters.
/// <para>Input defenses (<see cref="ModerationPipelineOptions"/>): when a normalizer or neutralizer is set and
/// changes any message of the slice, a normalized + neutralized copy is classified concurrently with the
/// faithful conversation and the stricter decision wins; a prompt too long for the guard is refused, or
/// classified in bounded overlapping chunks when <see cref="ModerationPipelineOptions.MaxChunks"/> allows.</para>
/// </summary>
public sealed partial class ModerationPipeline
{
    private readonly IUnsupportedLanguageDetector? _languages;
    private readonly ModerationPipelineOptions _options;

    /// <summary>
    /// Creates a pipeline over a classifier, optionally with a language detector for <c>unsupported_language</c>
    /// and input defenses (<paramref name="options"/>; null: none besides refusing over-long prompts).
    /// </summary>
    public ModerationPipeline(IGuardClassifier classifier, IUnsupportedLanguageDetector? languages = null, ModerationPipelineOptions? options = null)
    {
        Classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        _languages = languages;
        _options = options ?? new ModerationPipelineOptions();
        _options.Validate();
    }

    /// <summary>The classifier behind this pipeline.</summary>
    public IGuardClassifier Classifier { get; }

    /// <summary>The input defenses in use.</summary>
    public ModerationPipelineOptions Options => _options;

    /// <summary>What the input defenses did so far (for metrics); the same instance as <see cref="ModerationPipelineOptions.Counters"/>.</summary>
    public TextSafetyCounters Counters => _options.Counters;

    /// <summary>
    /// Moderates the last user message (<see cref="ModerationDirection.Input"/>, assessed as <c>User</c>) or
    /// the last assistant message (<see cref="ModerationDirection.Output"/>, assessed as <c>Agent</c>), with
    /// the turns before it as context. Returns a decision for every outcome of the classifier, including
    /// failures (the policy's fail mode decides), with the exceptions below, where there is nothing to decide
    /// on and the caller must refuse the request (never forward it):
    /// <list type="bullet">
    /// <item><see cref="GuardErrorCode.InvalidRequest"/>: an invalid conversation, or a message with an unpaired
    /// UTF-16 surrogate (its meaning would differ between the guard and the upstream model).</item>
    /// <item><see cref="GuardErrorCode.PromptTooLong"/>: too long for the guard, with chunking off or over its
    /// cap. Never allowed, whatever the fail mode: nothing is ever classified in part.</item>
    /// <item><see cref="GuardErrorCode.Cancelled"/>: <paramref name="cancellationToken"/> was cancelled.</item>
    /// </list>
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

        for (var i = 0; i < slice.Value.Count; i++)
        {
            if (Utf16Validation.IndexOfUnpairedSurrogate(slice.Value[i].Content) >= 0)
            {
                Counters.AddUnpairedSurrogateRejected();
                return GuardError.Invalid($"Message {i} contains an unpaired UTF-16 surrogate (ill-formed text cannot be judged faithfully).");
            }
        }

        // Only the assessed (last) message decides the language; the earlier turns are context. The raw text is
        // used on purpose: obfuscation that makes text look foreign can only make the rule apply, never lift it.
        var unsupported = _languages?.IsUnsupported(slice.Value[^1].Content) == true;
        if (unsupported)
        {
            Counters.AddUnsupportedLanguage();
            if (policy.UnsupportedLanguage == UnsupportedLanguageAction.Block)
            {
                return DecisionEvaluator.BlockUnsupportedLanguage(policy, direction, Classifier.Model.Name);
            }
        }

        var decided = await DecideAsync(slice.Value, policy, direction, cancellationToken);
        if (!decided.IsSuccess && decided.Error.Code == GuardErrorCode.PromptTooLong)
        {
            Counters.AddLongInputRejected();
        }

        return unsupported && decided.IsSuccess ? DecisionEvaluator.ApplyUnsupportedLanguage(decided.Value, policy) : decided;
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

        // Stryker disable once Conditional: not copying the whole conversation only saves a copy with the same messages.
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
