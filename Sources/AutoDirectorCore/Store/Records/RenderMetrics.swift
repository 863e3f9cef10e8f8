/// Render metrics of a project (SPEC §12), computed from the job items.
public struct RenderMetrics: Sendable, Equatable {
    /// Items rendered by a provider.
    public var rendersExecuted: Int
    public var cacheHits: Int
    /// Failed and blocked items.
    public var failures: Int
    public var blocked: Int
    /// Attempts beyond the first, over all items.
    public var retries: Int
    /// Render time of rendered items, in seconds.
    public var renderSecondsP50: Double?
    public var renderSecondsP95: Double?
    /// Items waiting or in flight in unfinished jobs.
    public var queueDepth: Int
    public var jobsByState: [RenderJob.State: Int]
    /// The mean render time of rendered items, in milliseconds.
    public var renderMillisecondsMean: Double?
    /// A shared project's render boxes that have not stopped (none on the embedded project).
    public var workers: [RenderWorker] = []
    /// Renders billed by the provider (rendered by it, or accepted by it), when counted.
    public var billedCalls: Int?
    /// What they cost at the configured prices, when known.
    public var spend: Double?
}
