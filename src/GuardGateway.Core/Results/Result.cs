using System.Diagnostics.CodeAnalysis;

namespace GuardGateway.Core.Results;

/// <summary>Either a value or a <see cref="GuardError"/>: expected failures are values (ARCHITECTURE.md §7).</summary>
/// <typeparam name="T">The success type.</typeparam>
public readonly struct Result<T>
{
    internal Result(T? value, GuardError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The error when not <see cref="IsSuccess"/>.</summary>
    public GuardError? Error { get; }

    /// <summary>Whether this holds a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Implicit success.</summary>
    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>Implicit failure.</summary>
    public static implicit operator Result<T>(GuardError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>Returns the value or throws: for tests and tools, never for the request path.</summary>
    public T GetValueOrThrow() => IsSuccess ? Value : throw new InvalidOperationException(Error.ToString());
}

/// <summary>Factories for <see cref="Result{T}"/>.</summary>
public static class Result
{
    /// <summary>A successful result.</summary>
    public static Result<T> Success<T>(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static Result<T> Failure<T>(GuardError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
