using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.DependencyInjection;
using GuardGateway.Core.Backends;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Backends.Tests.Fakes;

/// <summary>A backend built through the real registration (<c>AddGuardBackends</c>) with a chosen clock.</summary>
internal sealed class BackendHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BackendHarness(ServiceProvider services, TimeProvider time)
    {
        _services = services;
        Time = time;
        Router = services.GetRequiredService<IChatBackendRouter>();
    }

    public TimeProvider Time { get; }

    public FakeTimeProvider? FakeTime => Time as FakeTimeProvider;

    public IChatBackendRouter Router { get; }

    public IChatBackend Backend => Router.Backends[0];

    public IServiceProvider Services => _services;

    /// <summary>One backend with test-friendly defaults (no retry delay), adjusted by <paramref name="configure"/>.</summary>
    public static BackendHarness Create(string url, BackendKind kind, Action<BackendOptions>? configure = null, TimeProvider? time = null)
    {
        var options = new BackendOptions { Name = "test", Kind = kind, Url = url };
        options.Models.Add("*");
        options.Retry.BaseDelay = TimeSpan.Zero;
        configure?.Invoke(options);
        return Create([options], time);
    }

    public static BackendHarness Create(IReadOnlyList<BackendOptions> backends, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddGuardBackends(o =>
        {
            foreach (var backend in backends)
            {
                o.Backends.Add(backend);
            }
        });
        return new BackendHarness(services.BuildServiceProvider(validateScopes: true), time);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
