using System.Diagnostics;
using System.Text.Json;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.TestUtilities;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// The official <c>openai</c> npm client (pinned in tests/e2e-openai/package-lock.json, installed into .cache by
/// tests/e2e-openai/install.sh) drives the HTTP front, unary and streaming, with only the base URL and key changed.
/// </summary>
public sealed class OpenAiNpmClientTests
{
    [Fact]
    public async Task OpenAiNodeClient_UnaryStreamingModerationsModelsAndAuth_WorkAgainstGateway()
    {
        var directory = await RunAsync("bash", [RepositoryPaths.Combine("tests", "e2e-openai", "install.sh")], new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = request =>
        {
            using var json = request.Json();
            var stream = json.RootElement.TryGetProperty("stream", out var s) && s.GetBoolean();
            var messages = json.RootElement.GetProperty("messages");
            var prompt = messages[messages.GetArrayLength() - 1].GetProperty("content").GetString() ?? "";
            var answer = prompt.Contains("story", StringComparison.OrdinalIgnoreCase)
                ? ["Once upon a time. ", "Then canary-", "violence came."]
                : new[] { "One, ", "two, ", "three. Paris." };
            return stream
                ? FakeScript.SseText(Payloads.ChatStream(answer), pieceBytes: 13)
                : new FakeScript.Reply(200, Payloads.ChatCompletion(string.Concat(answer)));
        };

        var output = await RunAsync(
            "node",
            [Path.Combine(directory.Trim(), "e2e.mjs")],
            new Dictionary<string, string> { ["GATEWAY_URL"] = gateway.Host.Http.BaseAddress!.ToString().TrimEnd('/'), ["GATEWAY_KEY"] = TestKeys.Client },
            TimeSpan.FromMinutes(1));

        using var result = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var r = result.RootElement;
        Assert.Equal("One, two, three. Paris.", r.GetProperty("unaryContent").GetString());
        Assert.Equal("stop", r.GetProperty("unaryFinish").GetString());
        Assert.Equal("allow", r.GetProperty("unaryDecision").GetString());
        Assert.Equal("content_filter", r.GetProperty("blockedFinish").GetString());
        Assert.Equal("Blocked by test policy.", r.GetProperty("blockedContent").GetString());
        Assert.Equal("One, two, three. Paris.", r.GetProperty("streamContent").GetString());
        Assert.Equal(["stop"], r.GetProperty("streamFinish").EnumerateArray().Select(e => e.GetString()));
        Assert.False(r.GetProperty("filteredLeaked").GetBoolean());
        Assert.Equal(["content_filter"], r.GetProperty("filteredFinish").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([false, true], r.GetProperty("moderationFlagged").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.True(r.GetProperty("moderationViolence").GetBoolean());
        Assert.Equal([ProxyGateway.Model], r.GetProperty("models").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(401, r.GetProperty("wrongKeyStatus").GetInt32());
        Assert.True(r.GetProperty("wrongKeyIsAuthError").GetBoolean());
        Assert.Equal(3, gateway.Upstream.RequestCount); // the blocked input never reached it
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}.");
        }

        Assert.True(process.ExitCode == 0, $"{file} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
