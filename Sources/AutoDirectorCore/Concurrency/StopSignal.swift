import Synchronization

/// A request to stop gracefully (SIGTERM to a worker): set once, read by the render loop before
/// it claims or starts anything, and by the worker's idle wait.
public final class StopSignal: Sendable {
    private let stopped = Mutex(false)

    public init() {}

    public var isStopped: Bool { stopped.withLock { $0 } }

    public func stop() { stopped.withLock { $0 = true } }

    /// Returns once stopped (within 50 ms), after `duration`, or when the task is cancelled.
    public func wait(upTo duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !isStopped, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: min(.milliseconds(50), deadline - ContinuousClock.now))
        }
    }
}
