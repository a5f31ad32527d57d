using GuardGateway.Redaction.Detection;

namespace GuardGateway.Redaction.Tests.Detection;

/// <summary>Runs one detector and returns the matched substrings.</summary>
internal static class Detect
{
    public static List<string> With(IPiiDetector detector, string text)
    {
        var matches = new List<PiiMatch>();
        detector.Detect(text, matches, CancellationToken.None);
        return matches.Select(m => text.Substring(m.Start, m.Length)).ToList();
    }

    /// <summary>Asserts that <paramref name="expected"/>, embedded in prose, is found exactly (start and length).</summary>
    public static void AssertFoundInProse(IPiiDetector detector, string expected)
    {
        var text = $"Here it is: {expected}, as requested.";
        Assert.Equal([expected], With(detector, text));
        Assert.Equal([expected], With(detector, expected));
    }
}
