// Each fault test loads the machine on purpose (hundreds of streams, child processes, a PostgreSQL restart) and some
// compare measured latencies: two at once would only distort each other's figures.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
