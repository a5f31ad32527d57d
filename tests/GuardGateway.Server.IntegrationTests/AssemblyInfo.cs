// Metrics are process-wide: every host's MeterProvider listens to every meter named GuardGateway.*, so two
// hosts alive at once would see each other's measurements. Hosts therefore run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
