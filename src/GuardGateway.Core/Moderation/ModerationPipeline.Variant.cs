using GuardGateway.Core.Conversations;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.TextSafety;

namespace GuardGateway.Core.Moderation;

/// <summary>The faithful conversation and its normalized + neutralized variant: classify both, keep the stricter.</summary>
public sealed partial class ModerationPipeline
{
    private async ValueTask<Result<ModerationDecision>> DecideAsync(
        IReadOnlyList<ChatMessage> slice,
        ModerationPolicy policy,
        ModerationDirection direction,
        CancellationToken cancellationToken)
    {
        var variant = BuildVariant(slice);
        Counters.AddNormalization(variant.Stripped, variant.Folded, variant.Defused);

        CopyOutcome faithful;
        CopyOutcome? other = null;
        if (variant.Messages is null)
        {
            faithful = await ClassifyCopyAsync(slice, policy, direction, cancellationToken);
        }
        else
        {
            // One extra classifier call, run concurrently so the variant adds no latency beyond the slower of the two.
            var faithfulTask = ClassifyCopyAsync(slice, policy, direction, cancellationToken).AsTask();
            var variantTask = ClassifyCopyAsync(variant.Messages, policy, direction, cancellationToken).AsTask();
            faithful = await faithfulTask;
            other = await variantTask;
        }

        // An error of either copy (invalid, too long, cancelled) refuses the whole request: fail closed.
        if (!faithful.Decision.IsSuccess)
        {
            return faithful.Decision.Error;
        }

        if (other is { Decision.IsSuccess: false })
        {
            return other.Value.Decision.Error!;
        }

        var decision = faithful.Decision.Value;
        var variantDecided = false;
        if (other is { } copy)
        {
            variantDecided = IsStricter(copy.Decision.Value!, decision);
            if (variantDecided)
            {
                decision = copy.Decision.Value!;
            }

            Counters.AddVariant(variantDecided);
        }

        return decision with
        {
            TextSafety = new TextSafetyReport
            {
                StrippedChars = variant.Stripped,
                FoldedChars = variant.Folded,
                DefusedPatterns = variant.Defused,
                VariantClassified = other is not null,
                VariantDecided = variantDecided,
                Chunks = faithful.Chunks + (other?.Chunks ?? 0),
                ChunksWithoutContext = faithful.ChunksWithoutContext + (other?.ChunksWithoutContext ?? 0),
            },
        };
    }

    /// <summary>
    /// True when <paramref name="candidate"/> must replace <paramref name="current"/>: a no-verdict always wins
    /// (the fail mode decides; the current one keeps its place when both have none), then the more severe
    /// action, then, on a tie, the higher P(unsafe).
    /// </summary>
    internal static bool IsStricter(ModerationDecision candidate, ModerationDecision current)
    {
        if (current.NoVerdict is not null)
        {
            return false;
        }

        if (candidate.NoVerdict is not null)
        {
            return true;
        }

        return candidate.Action > current.Action
            || (candidate.Action == current.Action && candidate.UnsafeProbability > current.UnsafeProbability);
    }

    private VariantCopy BuildVariant(IReadOnlyList<ChatMessage> slice)
    {
        var normalizer = _options.Normalizer;
        var neutralizer = _options.Neutralizer;
        // Stryker disable once Block: a fast path only; without it the loop below finds nothing changed and returns no variant.
        if (normalizer is null && neutralizer is null)
        {
            return default;
        }

        var messages = new ChatMessage[slice.Count];
        int stripped = 0, folded = 0, defused = 0;
        var changed = false;
        for (var i = 0; i < slice.Count; i++)
        {
            var original = slice[i];
            var text = original.Content;
            if (normalizer is not null)
            {
                var normalized = normalizer.Normalize(text);
                stripped += normalized.StrippedCount;
                folded += normalized.FoldedCount;
                text = normalized.Text;
            }

            if (neutralizer is not null)
            {
                var neutralized = neutralizer.Neutralize(text);
                defused += neutralized.DefusedCount;
                text = neutralized.Text;
            }

            var same = string.Equals(text, original.Content, StringComparison.Ordinal);
            changed |= !same;
            // Stryker disable once Conditional: keeping the original instance only saves a copy with the same content.
            messages[i] = same ? original : original with { Content = text };
        }

        return new VariantCopy(changed ? messages : null, stripped, folded, defused);
    }

    /// <summary>The variant conversation (null when identical to the faithful one) and what it took.</summary>
    private readonly record struct VariantCopy(IReadOnlyList<ChatMessage>? Messages, int Stripped, int Folded, int Defused);
}
