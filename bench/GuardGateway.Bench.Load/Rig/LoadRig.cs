using System.Text;
using GuardGateway.Backends.Fakes;
using GuardGateway.Bench.Hosting;
using GuardGateway.Bench.Load.Stub;
using GuardGateway.Server.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Bench.Load.Rig;

/// <summary>
/// One gateway under test: the fake OpenAI-compatible upstream (loopback, answers after a fixed delay, checks every
/// forwarded id against the ledger, keeps no request list), the CPU-burning stub classifier substituted for the model,
/// the real gateway on loopback Kestrel, and a client for both fronts. Counts the gateway's error logs.
/// </summary>
internal sealed class LoadRig : IAsyncDisposable
{
    private readonly FakeOpenAiServer upstream;
    private readonly CpuBurnEngine engine;
    private readonly InProcessGateway gateway;

    private LoadRig(FakeOpenAiServer upstream, CpuBurnEngine engine, StubClassifier classifier, ForwardLedger ledger, InProcessGateway gateway, ErrorLogCounter errors)
    {
        this.upstream = upstream;
        this.engine = engine;
        this.gateway = gateway;
        Classifier = classifier;
        Ledger = ledger;
        ErrorLogs = errors;
        Client = new GatewayClient(gateway, TimeSpan.FromSeconds(30));
    }

    public StubClassifier Classifier { get; }

    public ForwardLedger Ledger { get; }

    public GatewayClient Client { get; }

    /// <summary>Error (and worse) log records the gateway wrote.</summary>
    public ErrorLogCounter ErrorLogs { get; }

    public static async Task<LoadRig> StartAsync(RigOptions options, CancellationToken cancellationToken)
    {
        var ledger = new ForwardLedger();
        var upstream = await FakeOpenAiServer.StartAsync();
        upstream.RecordRequests = false;
        var reply = new FakeScript.Reply(200, Payloads.ChatCompletion("Photosynthesis turns light into chemical energy."), options.UpstreamDelay);
        upstream.Script = request =>
        {
            ledger.OnForwarded(Encoding.UTF8.GetString(request.Body));
            return reply;
        };

        var engine = new CpuBurnEngine(options.Burn, options.EngineThreads);
        var classifier = new StubClassifier(engine, ledger, options.FaultRate);
        var errors = new ErrorLogCounter();
        var config = new Dictionary<string, string?>
        {
            ["Proxy:NoVerdictResponse"] = "Error",
            ["Backends:0:AttemptTimeout"] = "00:00:10",
            ["Backends:0:TotalTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in options.Gateway)
        {
            config[key] = value;
        }

        var gateway = await InProcessGateway.StartAsync(
            BenchMachine.RepositoryRoot(),
            upstream.Url,
            config,
            cancellationToken,
            services => services.AddSingleton<IGuardModelSource>(new StubModelSource(classifier)),
            logging => logging.AddProvider(errors));
        var rig = new LoadRig(upstream, engine, classifier, ledger, gateway, errors);
        await rig.WarmUpAsync(cancellationToken);
        return rig;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await gateway.DisposeAsync();
        await upstream.DisposeAsync();
        engine.Dispose();
    }

    /// <summary>Waits (bounded) until the gateway answers, then warms both fronts and the JIT.</summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            var first = await Client.HttpAsync("warm-up rid-warm-" + i, InProcessGateway.ClientKey, cancellationToken);
            if (first.Kind == CallKind.Allowed)
            {
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        for (var i = 0; i < 40; i++)
        {
            await Client.SendAsync(Front.Both, i, "warm-up rid-warmb-" + i, InProcessGateway.ClientKey, cancellationToken);
        }
    }
}
