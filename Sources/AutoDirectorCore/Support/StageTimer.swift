import Synchronization

/// Records how long each stage of an action takes, for benchmarks: the engine's ingest and plan
/// report their stages to one (`bench plan`). Only measurement code reads the clock; the stages
/// themselves stay pure.
public final class StageTimer: Sendable {
    private let stages = Mutex<[(name: String, seconds: Double)]>([])

    public init() {}

    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let seconds = (ContinuousClock.now - start).seconds
            stages.withLock { $0.append((name, seconds)) }
        }
        return try body()
    }

    public var recorded: [(name: String, seconds: Double)] { stages.withLock { $0 } }
    public var total: Double { recorded.reduce(0) { $0 + $1.seconds } }
}
