using GuardGateway.Core.Moderation;

namespace GuardGateway.Core.Tests.Fakes;

/// <summary>Calls text unsupported when it contains a marker word.</summary>
public sealed class FakeLanguageDetector(string marker) : IUnsupportedLanguageDetector
{
    public bool IsUnsupported(string text) => text.Contains(marker, StringComparison.Ordinal);
}
