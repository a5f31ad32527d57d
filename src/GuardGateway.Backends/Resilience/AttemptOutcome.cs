namespace GuardGateway.Backends.Resilience;

/// <summary>The value of one attempt, or its failure: failures are results, so the pipeline's predicates read them without exceptions.</summary>
internal sealed class AttemptOutcome<T> : IAttemptOutcome
{
    private AttemptOutcome(T? value, AttemptFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public AttemptFailure? Failure { get; }

    public static AttemptOutcome<T> Success(T value) => new(value, null);

    public static AttemptOutcome<T> Failed(AttemptFailure failure) => new(default, failure);
}
