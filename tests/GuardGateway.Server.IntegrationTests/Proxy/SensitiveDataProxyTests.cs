
namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// RELIABILITY.md T19 for the proxy: canary text sent through every path (allowed, blocked in and out, redacted,
/// backend error, streamed, legacy, moderations) never appears in any log record, framework logs at Trace included
/// (the host fails the test at dispose when a record contains <c>canary-</c>), nor in error bodies.
/// </summary>
public sealed class SensitiveDataProxyTests
{
    private static readonly string[] ModerationInputs = ["canary-moderation-a", "canary-violence-b"];

    [Fact]
    public async Task AllPaths_CanaryText_NeverLoggedNorEchoedInErrors()
    {
        await using var gateway = await ProxyGateway.StartAsync(traceFrameworkLogs: true, expectedErrors: new HashSet<int> { 0 });
        gateway.Upstream.Script = request =>
        {
            var body = System.Text.Encoding.UTF8.GetString(request.Body);
            if (body.Contains("canary-upstream-down", StringComparison.Ordinal))
            {
                return new FakeScript.Reply(500, Payloads.Error("server_error", "echo canary-upstream-down"));
            }

            if (body.Contains("\"stream\":true", StringComparison.Ordinal))
            {
                return FakeScript.SseText(Payloads.ChatStream("canary-benign-stream text. ", "canary-violence-stream"), pieceBytes: 10);
            }

            return body.Contains("\"prompt\"", StringComparison.Ordinal)
                ? new FakeScript.Reply(200, Payloads.TextCompletions("canary-legacy-answer"))
                : new FakeScript.Reply(200, Payloads.ChatCompletion("canary-benign-answer. Mail canary-privacy at x@example.com. canary-violence-out"));
        };

        var bodies = new List<string>();
        async Task Send(string path, object request)
        {
            using var response = await gateway.PostAsync(path, request);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                bodies.Add(text);
            }
        }

        await Send("/v1/chat/completions", ProxyGateway.UserChat("canary-benign-question"));
        await Send("/v1/chat/completions", ProxyGateway.UserChat("canary-violence-in"));
        await Send("/v1/chat/completions", ProxyGateway.UserChat("canary-upstream-down"));
        await Send("/v1/chat/completions", ProxyGateway.UserChat("canary-stream-question", stream: true));
        await Send("/v1/completions", new { model = ProxyGateway.Model, prompt = "canary-legacy-prompt" });
        await Send("/v1/moderations", new { input = ModerationInputs });
        await Send("/v1/chat/completions", new { model = ProxyGateway.Model, messages = "canary-malformed" });

        Assert.Equal(2, bodies.Count);
        Assert.All(bodies, b => Assert.DoesNotContain("canary-", b, StringComparison.Ordinal));
        Assert.True(gateway.Host.Logs.Count > 0);
    }
}
