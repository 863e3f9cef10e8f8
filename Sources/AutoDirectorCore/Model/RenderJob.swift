import Foundation

/// A set of (shot, version) renders processed by the worker pool (SPEC §1, §7).
public struct RenderJob: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case queued, running, done, failed, cancelled

        /// Whether the job has ended (a paused job is queued again).
        public var isFinished: Bool { self == .done || self == .failed || self == .cancelled }
    }

    public var id: Int64
    public var state: State
    public var provider: String?
    public var force: Bool
    public var total: Int
    public var reason: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Items per state, e.g. ["done": 10, "cached": 2, "failed": 1].
    public var counts: [JobItem.State: Int]
    /// Attempts beyond the first, over all items: retries are bounded and this shows them.
    public var retries: Int = 0

    public var finished: Int { counts.filter { $0.key.isFinal }.reduce(0) { $0 + $1.value } }
}

/// One render of a job.
public struct JobItem: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case queued, running, done, cached, failed, blocked, cancelled

        public var isFinal: Bool { self != .queued && self != .running }
    }

    public var jobID: Int64
    public var shotID: String
    public var version: Int
    public var hash: String
    public var state: State
    public var attempts: Int
    public var error: String?
    public var durationMS: Int?
    /// The remote provider's id for the render (Bria's request_id), once it accepted it.
    public var requestID: String? = nil
    /// On a shared project: the render box that holds the item now, or that rendered it.
    public var box: String? = nil
}
