using GuardGateway.Contracts.V1;
using GuardGateway.Core.Results;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>
/// RELIABILITY.md T19: unique canaries sent as message content on the allow, block, fail-closed, timeout and
/// invalid-input paths never appear in any log record (framework logs at Trace included; checked by the host
/// at dispose) nor in any status detail.
/// </summary>
public sealed class SensitiveDataTests
{
    [Fact]
    public async Task Moderate_CanariesOnEveryPath_NeverInLogsOrStatusDetails()
    {
        var canaries = new List<string>();
        string Canary(string path)
        {
            var canary = $"secret-{path}-{Guid.NewGuid():N}";
            canaries.Add(canary);
            return canary;
        }

        var statusTexts = new List<string>();
        await using (var host = await GatewayHost.StartAsync(new GatewayHostOptions { TraceFrameworkLogs = true, ForbiddenLogText = canaries }))
        {
            var client = GatewayHost.With(TestKeys.Client);
            await host.Moderation.ModerateAsync(Conversations.Input(Canary("allow")), client);
            await host.Moderation.ModerateAsync(Conversations.Input("canary-violence " + Canary("block")), client);
            await host.Moderation.ModerateAsync(Conversations.Output(Canary("question"), "canary-advice " + Canary("answer")), client);
            await host.Moderation.ModerateBatchAsync(new ModerateBatchRequest { Requests = { Conversations.Input(Canary("batch")) } }, client);
            statusTexts.Add(await FailAsync(() => host.Moderation.ModerateAsync(
                new ModerateRequest { Messages = { new Message { Role = Canary("role"), Content = Canary("badrole") } } }, client).ResponseAsync));
            statusTexts.Add(await FailAsync(() => host.Moderation.ModerateAsync(
                new ModerateRequest { Messages = { new Message { Role = "assistant", Content = Canary("order") } } }, client).ResponseAsync));
            statusTexts.Add(await FailAsync(() => host.Moderation.ModerateAsync(Conversations.Input(Canary("nopolicy"), policy: "missing"), client).ResponseAsync));
            statusTexts.Add(await FailAsync(() => host.Moderation.ModerateAsync(
                new ModerateRequest { Messages = { new Message { Role = "user", Content = "x" } }, RequestId = Canary("bad id with spaces") }, client).ResponseAsync));
        }

        await using (var failing = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            TraceFrameworkLogs = true,
            ForbiddenLogText = canaries,
            Services = s => s.AddSingleton<Model.IGuardModelSource>(new FakeModelSource(new FaultingClassifier(GuardErrorCode.ParseFailure))),
        }))
        {
            var response = await failing.Moderation.ModerateAsync(Conversations.Input(Canary("failclosed")), GatewayHost.With(TestKeys.Client));
            statusTexts.Add(response.Reason);
        }

        await using (var slow = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            TraceFrameworkLogs = true,
            ForbiddenLogText = canaries,
            Services = s => s.AddSingleton<Model.IGuardModelSource>(new FakeModelSource(new StallingClassifier())),
            Configuration = { ["Limits:RequestTimeoutSeconds"] = "0.1" },
        }))
        {
            var response = await slow.Moderation.ModerateAsync(Conversations.Input(Canary("timeout")), GatewayHost.With(TestKeys.Client));
            statusTexts.Add(response.Reason);
        }

        Assert.All(statusTexts, text => Assert.DoesNotContain(canaries, c => text.Contains(c, StringComparison.Ordinal)));
    }

    private static async Task<string> FailAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        var details = string.Join('|', error.Trailers.Select(t => t.IsBinary ? Convert.ToBase64String(t.ValueBytes) + System.Text.Encoding.UTF8.GetString(t.ValueBytes) : t.Value));
        return error.Status.Detail + "|" + details;
    }
}
