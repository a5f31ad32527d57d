namespace GuardGateway.Backends.Resilience;

/// <summary>The non-generic view the retry and breaker predicates use.</summary>
internal interface IAttemptOutcome
{
    AttemptFailure? Failure { get; }
}
