using System.Collections.ObjectModel;
using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>
/// Fields of a JSON object that the domain types do not model, kept as raw JSON so a proxy passes them through
/// unchanged (sampling parameters, <c>tools</c>, <c>logprobs</c>, vendor extensions). Values are detached
/// (<see cref="JsonElement.Clone"/>), so they outlive the parsed document.
/// </summary>
public static class JsonExtensionData
{
    /// <summary>An empty, shared set.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Empty { get; } =
        ReadOnlyDictionary<string, JsonElement>.Empty;
}
