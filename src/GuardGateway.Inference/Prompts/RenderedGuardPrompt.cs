using GuardGateway.Core.Categories;
using GuardGateway.Core.Conversations;

namespace GuardGateway.Inference.Prompts;

/// <summary>A guard prompt ready for the model.</summary>
/// <param name="Text">The rendered prompt, without the trailing <c>\n\n</c> (as the goldens pin it).</param>
/// <param name="Ids">Token ids, including the trailing 271 (<c>\n\n</c>) so the next position is the verdict.</param>
/// <param name="AssessedRole">Whose last message is judged: <c>User</c> (odd count) or <c>Agent</c> (even).</param>
/// <param name="Categories">The categories rendered, in order (codes the model may answer with).</param>
/// <param name="SharedPrefixLength">
/// How many leading ids are the same for every conversation under this format, role and category set
/// (everything before the first message): what a prefix KV cache can reuse.
/// </param>
public sealed record RenderedGuardPrompt(
    string Text,
    int[] Ids,
    ChatRole AssessedRole,
    IReadOnlyList<GuardCategory> Categories,
    int SharedPrefixLength);
