namespace GuardGateway.Core.Backends;

/// <summary>Well-known <c>finish_reason</c> values. Backends may send others; they are passed through as strings.</summary>
public static class FinishReasons
{
    /// <summary>A natural stop or a stop sequence.</summary>
    public const string Stop = "stop";

    /// <summary>The token limit was reached.</summary>
    public const string Length = "length";

    /// <summary>The model called tools.</summary>
    public const string ToolCalls = "tool_calls";

    /// <summary>Content was withheld by a filter (what the gateway sets when it blocks).</summary>
    public const string ContentFilter = "content_filter";
}
