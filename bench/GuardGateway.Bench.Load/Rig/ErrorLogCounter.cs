using Microsoft.Extensions.Logging;

namespace GuardGateway.Bench.Load.Rig;

/// <summary>Counts the gateway's log records at Error or worse (unhandled exceptions land there); keeps no text.</summary>
internal sealed class ErrorLogCounter : ILoggerProvider
{
    private long count;

    public long Count => Interlocked.Read(ref count);

    public ILogger CreateLogger(string categoryName) => new Counter(this);

    public void Dispose()
    {
    }

    private sealed class Counter(ErrorLogCounter owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Interlocked.Increment(ref owner.count);
            }
        }
    }
}
