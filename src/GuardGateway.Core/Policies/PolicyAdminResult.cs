using System.Diagnostics.CodeAnalysis;

namespace GuardGateway.Core.Policies;

/// <summary>Either a value or a <see cref="PolicyAdminError"/>.</summary>
/// <typeparam name="T">The success type.</typeparam>
public readonly struct PolicyAdminResult<T>
{
    private PolicyAdminResult(T? value, PolicyAdminError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The error when not <see cref="IsSuccess"/>.</summary>
    public PolicyAdminError? Error { get; }

    /// <summary>Whether this holds a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>Implicit success.</summary>
    public static implicit operator PolicyAdminResult<T>(T value) => new(value, null);

    /// <summary>Implicit failure.</summary>
    public static implicit operator PolicyAdminResult<T>(PolicyAdminError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
