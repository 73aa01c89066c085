// Each test runs the whole system (PostgreSQL, two Api replicas, the gateway, the emitter); two at once would
// only fight for the machine's cores, and the AppHost process tests need the fixed ports 8000 and 18888-18890 to themselves.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
