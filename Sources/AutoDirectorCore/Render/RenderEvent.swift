import Foundation

/// Progress of a render job as it runs (SPEC §7), for the CLI progress bar and the TUI.
public enum RenderEvent: Sendable, Equatable {
    case started(jobID: Int64, total: Int)
    case progress(RenderProgress)
    case itemFailed(jobID: Int64, shotID: String, version: Int, message: String)
    case finished(jobID: Int64, state: RenderJob.State, progress: RenderProgress)
}

public struct RenderProgress: Sendable, Equatable {
    public var jobID: Int64
    public var total: Int
    public var done: Int
    public var cached: Int
    public var failed: Int
    public var providerCalls: Int
    public var retries: Int
    public var elapsed: Double

    public init(jobID: Int64, total: Int, done: Int, cached: Int, failed: Int, providerCalls: Int, retries: Int, elapsed: Double) {
        self.jobID = jobID
        self.total = total
        self.done = done
        self.cached = cached
        self.failed = failed
        self.providerCalls = providerCalls
        self.retries = retries
        self.elapsed = elapsed
    }

    public var finished: Int { done + cached + failed }
    /// Items per second so far.
    public var rate: Double { elapsed > 0 ? Double(finished) / elapsed : 0 }
    /// Seconds left at the current rate, nil before there is a rate.
    public var eta: Double? { rate > 0 ? Double(total - finished) / rate : nil }
}
