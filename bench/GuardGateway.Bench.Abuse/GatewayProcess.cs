using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GuardGateway.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace GuardGateway.Bench.Abuse;

/// <summary>
/// The real gateway as a separate process: <c>dotnet GuardGateway.Server.dll</c> from the Release build, configured by
/// environment variables only (loopback ports, the planted demo guard, the shipped policies, one client key, the fake
/// upstream as the only backend). Its console output goes to a log file. Killed at dispose if still running.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    public const string ClientKey = "bench-abuse-client-key-0123456789";

    private readonly Process process;
    private readonly StreamWriter log;

    private GatewayProcess(Process process, StreamWriter log, int grpcPort, int httpPort)
    {
        this.process = process;
        this.log = log;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public int Pid => process.Id;

    public string GrpcUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{GrpcPort}");

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static GatewayProcess Start(string root, string backendUrl, IReadOnlyDictionary<string, string> extra, string logPath)
    {
        var dll = Path.Combine(root, "src", "GuardGateway.Server", "bin", "Release", "net10.0", "GuardGateway.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("Build the server first: dotnet build -c Release src/GuardGateway.Server", dll);
        }

        var grpcPort = FreePort();
        var httpPort = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        var env = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Kestrel__Endpoints__Grpc__Url"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{grpcPort}"),
            ["Kestrel__Endpoints__Http__Url"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}"),
            ["Guard__ModelPath"] = "",
            ["Guard__DemoModelCachePath"] = Path.Combine(root, ".cache", "fixtures"),
            ["Guard__PoliciesPath"] = Path.Combine(root, "policies"),
            ["Auth__ClientKeys__0"] = ClientKey,
            ["Backends__0__Name"] = "fake",
            ["Backends__0__Kind"] = "openai",
            ["Backends__0__Url"] = backendUrl,
            ["Backends__0__Models__0"] = "*",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new GatewayProcess(process, log, grpcPort, httpPort);
    }

    /// <summary>Waits until a benign Moderate call gets a verdict (model loaded, policies served).</summary>
    public async Task<bool> WaitReadyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(GrpcUrl);
        var client = new Moderation.ModerationClient(channel);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit && !process.HasExited)
        {
            try
            {
                var reply = await client.ModerateAsync(Calls.Benign(), Calls.Options(TimeSpan.FromSeconds(5), cancellationToken));
                if (!reply.NoVerdict)
                {
                    return true;
                }
            }
            catch (RpcException)
            {
                // Not listening or not serving yet.
            }

            await Task.Delay(250, cancellationToken);
        }

        return false;
    }

    /// <summary>Sends SIGTERM (what an orchestrator does) through kill(1).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit(5000);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
        log.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
