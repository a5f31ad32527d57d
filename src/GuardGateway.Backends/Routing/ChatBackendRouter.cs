using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.KServe;
using GuardGateway.Backends.OpenAi;
using GuardGateway.Backends.Resilience;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace GuardGateway.Backends.Routing;

/// <summary>Builds one client per configured backend and routes model names to them (exact name first, then <c>*</c>).</summary>
internal sealed class ChatBackendRouter : IChatBackendRouter, IDisposable
{
    private const string DefaultModel = "*";
    private readonly Dictionary<string, IChatBackend> _byModel = new(StringComparer.Ordinal);
    private readonly IChatBackend? _default;

    public ChatBackendRouter(
        IOptions<GuardBackendsOptions> options,
        ResiliencePipelineProvider<string> pipelines,
        TimeProvider time,
        ILoggerFactory? loggerFactory = null)
        : this(options.Value.Backends.Select(b => Create(b, pipelines, time, loggerFactory ?? NullLoggerFactory.Instance, handler: null)).ToList(), options.Value)
    {
    }

    /// <summary>Routes over already-built backends (tests substitute handlers this way).</summary>
    internal ChatBackendRouter(IReadOnlyList<IChatBackend> backends, GuardBackendsOptions options)
    {
        Backends = backends;
        for (var i = 0; i < options.Backends.Count; i++)
        {
            foreach (var model in options.Backends[i].Models)
            {
                if (model == DefaultModel)
                {
                    _default = backends[i];
                }
                else
                {
                    _byModel[model] = backends[i];
                }
            }
        }

        ModelNames = [.. _byModel.Keys];
    }

    public IReadOnlyList<IChatBackend> Backends { get; }

    public IReadOnlyList<string> ModelNames { get; }

    public Result<IChatBackend> Resolve(string model)
    {
        if (!string.IsNullOrEmpty(model) && _byModel.TryGetValue(model, out var backend))
        {
            return Result.Success(backend);
        }

        return _default is not null
            ? Result.Success(_default)
            : new GuardError(GuardErrorCode.ModelNotRouted, "No backend serves the requested model.");
    }

    /// <summary>Creates the client for one backend over its named pipeline.</summary>
    internal static IChatBackend Create(BackendOptions options, ResiliencePipelineProvider<string> pipelines, TimeProvider time, ILoggerFactory loggerFactory, HttpMessageHandler? handler)
    {
        var runner = new BackendCallRunner(options.Name, pipelines.GetPipeline(BackendPipeline.Key(options.Name)));
        var logger = loggerFactory.CreateLogger("GuardGateway.Backends." + options.Name);
        handler ??= OpenAiChatBackend.CreateHandler(options);
        return options.Kind switch
        {
            BackendKind.KServe => new KServeChatBackend(options, handler, runner, time, logger),
            _ => new OpenAiChatBackend(options, handler, runner, time, logger),
        };
    }

    public void Dispose()
    {
        foreach (var backend in Backends)
        {
            (backend as IDisposable)?.Dispose();
        }
    }
}
