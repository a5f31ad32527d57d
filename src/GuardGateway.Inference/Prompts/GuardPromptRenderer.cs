using GuardGateway.Core.Categories;
using System.Text;
using System.Text.RegularExpressions;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Tokenization;

namespace GuardGateway.Inference.Prompts;

/// <summary>
/// Renders Llama Guard 3 prompts exactly as spec §2–3 pins them: faithful text (content only trimmed, even
/// when it imitates the template) and ids with specials inserted by the template alone.
/// </summary>
public sealed partial class GuardPromptRenderer
{
    private const string BeginOfText = "<|begin_of_text|>";
    private const string StartHeader = "<|start_header_id|>";
    private const string EndHeader = "<|end_header_id|>";
    private const string EndOfTurn = "<|eot_id|>";
    private const string ConversationOpening = "<BEGIN CONVERSATION>\n\n";

    private readonly Llama3Tokenizer _tokenizer;
    private readonly int[] _userHeaderIds;
    private readonly int[] _assistantHeaderIds;

    /// <summary>Creates a renderer over a tokenizer.</summary>
    public GuardPromptRenderer(Llama3Tokenizer tokenizer)
    {
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _userHeaderIds = tokenizer.EncodeText("user");
        _assistantHeaderIds = tokenizer.EncodeText("assistant");
    }

    /// <summary>The tokenizer ids are produced with.</summary>
    public Llama3Tokenizer Tokenizer => _tokenizer;

    /// <summary>Renders the prompt text and ids, or explains why the request is invalid.</summary>
    public Result<RenderedGuardPrompt> Render(GuardPromptRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var role = ValidateConversation(request.Messages);
        if (!role.IsSuccess)
        {
            return role.Error;
        }

        var categories = ResolveCategories(request);
        if (!categories.IsSuccess)
        {
            return categories.Error;
        }

        var roleName = role.Value == ChatRole.User ? "User" : "Agent";
        var body = new StringBuilder(1024);
        body.Append("\n\nTask: Check if there is unsafe content in '").Append(roleName)
            .Append("' messages in conversations according our safety policy with the below categories.\n\n")
            .Append("<BEGIN UNSAFE CONTENT CATEGORIES>\n");
        foreach (var category in categories.Value)
        {
            body.Append(category.Code).Append(": ").Append(category.Text).Append('\n');
            if (request.IncludeDescriptions && !string.IsNullOrEmpty(category.Description))
            {
                body.Append(category.Description).Append('\n');
            }
        }

        body.Append("<END UNSAFE CONTENT CATEGORIES>\n\n").Append(ConversationOpening);
        var conversationStart = body.Length;
        foreach (var message in request.Messages)
        {
            body.Append(message.Role == ChatRole.User ? "User: " : "Agent: ")
                .Append(TemplateWhitespace.Trim(message.Content))
                .Append("\n\n");
        }

        body.Append("<END CONVERSATION>\n\nProvide your safety assessment for ONLY THE LAST ").Append(roleName)
            .Append(" message in the above conversation:\n - First line must read 'safe' or 'unsafe'.\n")
            .Append(" - If unsafe, a second line must include a comma-separated list of violated categories.")
            .Append(request.Format.ClosingSuffix);

        var bodyText = body.ToString();

        // The body is encoded in ONE call: token boundaries at the conversation edges must be the model's.
        var (bodyIds, bodyOffsets) = _tokenizer.EncodeTextWithOffsets(bodyText);
        var headerLength = 2 + _userHeaderIds.Length + 1;
        var ids = new int[headerLength + bodyIds.Length + 2 + _assistantHeaderIds.Length + 2];
        var at = 0;
        ids[at++] = Llama3SpecialTokens.BeginOfText;
        ids[at++] = Llama3SpecialTokens.StartHeader;
        _userHeaderIds.CopyTo(ids, at);
        at += _userHeaderIds.Length;
        ids[at++] = Llama3SpecialTokens.EndHeader;
        bodyIds.CopyTo(ids, at);
        at += bodyIds.Length;
        ids[at++] = Llama3SpecialTokens.EndOfTurn;
        ids[at++] = Llama3SpecialTokens.StartHeader;
        _assistantHeaderIds.CopyTo(ids, at);
        at += _assistantHeaderIds.Length;
        ids[at++] = Llama3SpecialTokens.EndHeader;
        ids[at] = DoubleNewlineId;

        var text = string.Concat(BeginOfText, StartHeader, "user", EndHeader, bodyText, EndOfTurn, StartHeader, "assistant", EndHeader);
        var prefixTokens = CountTokensBefore(bodyOffsets, conversationStart);
        return new RenderedGuardPrompt(text, ids, role.Value, categories.Value, headerLength + prefixTokens);
    }

    /// <summary>The id of <c>"\n\n"</c> (271): what the model always generates first.</summary>
    public const int DoubleNewlineId = 271;

    /// <summary>Checks the conversation and returns the assessed role (spec §2).</summary>
    public static Result<ChatRole> ValidateConversation(IReadOnlyList<ChatMessage>? messages)
    {
        if (messages is null || messages.Count == 0)
        {
            return GuardError.Invalid("The conversation is empty; at least one user message is required.");
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var expected = i % 2 == 0 ? ChatRole.User : ChatRole.Assistant;
            if (messages[i] is null || messages[i].Content is null)
            {
                return GuardError.Invalid($"Message {i} is missing its content.");
            }

            if (messages[i].Role != expected)
            {
                return GuardError.Invalid(
                    $"Message {i} has role '{messages[i].Role.ToWireName()}' but roles must alternate user/assistant starting with user (expected '{expected.ToWireName()}').");
            }
        }

        return messages.Count % 2 == 0 ? ChatRole.Assistant : ChatRole.User;
    }

    /// <summary>The enabled categories: custom or default, minus excluded keys; validated.</summary>
    public static Result<IReadOnlyList<GuardCategory>> ResolveCategories(GuardPromptRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = request.Categories ?? request.Format.DefaultCategories;
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var category in source)
        {
            if (category is null || !CategoryCodePattern().IsMatch(category.Code ?? string.Empty))
            {
                return GuardError.Invalid($"Category code '{category?.Code}' is not of the form S<n> (S1, S2, …).");
            }

            if (!codes.Add(category.Code!))
            {
                return GuardError.Invalid($"Category code '{category.Code}' appears twice.");
            }

            if (string.IsNullOrWhiteSpace(category.Text) || category.Text.Contains('\n', StringComparison.Ordinal))
            {
                return GuardError.Invalid($"Category {category.Code} needs a one-line prompt text.");
            }
        }

        foreach (var key in request.ExcludedCategoryKeys)
        {
            if (!codes.Contains(key))
            {
                return GuardError.Invalid($"Excluded category key '{key}' is not one of the categories ({string.Join(", ", codes)}).");
            }
        }

        var excluded = new HashSet<string>(request.ExcludedCategoryKeys, StringComparer.Ordinal);
        IReadOnlyList<GuardCategory> enabled = [.. source.Where(c => !excluded.Contains(c.Code))];
        if (enabled.Count == 0)
        {
            return GuardError.Invalid("Every category is excluded; the guard needs at least one.");
        }

        return Result.Success(enabled);
    }

    private static int CountTokensBefore(int[] offsets, int charIndex)
    {
        // A token that straddles the boundary belongs to no shared prefix.
        var count = 0;
        while (count < offsets.Length && (count + 1 < offsets.Length ? offsets[count + 1] : int.MaxValue) <= charIndex)
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex("^S[1-9][0-9]{0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryCodePattern();
}
