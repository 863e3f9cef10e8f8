import Foundation

/// State shared by threads that wait for each other — a producer thread and its consumer —
/// guarded by one lock with a condition. `Mutex` from Synchronization has no way to wait, so
/// this is the only type in the project that needs `@unchecked Sendable`: `state` is touched
/// only inside `condition`'s lock, which every method takes.
///
/// Every change wakes every waiter, which then re-checks its own condition: simpler than
/// per-condition signalling, and these monitors have one or two waiters.
public final class Monitor<State: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var state: State

    public init(_ state: State) {
        self.state = state
    }

    /// Runs `body` on the state under the lock, then wakes the waiters.
    @discardableResult
    public func withLock<T>(_ body: (inout State) throws -> T) rethrows -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&state)
    }

    /// Waits, blocking this thread, until `ready` holds (or `deadline` passes), then runs `body`
    /// under the same lock and wakes the waiters. `body` is told whether `ready` held. Never call
    /// it from a task on the cooperative pool; see `Blocking`.
    @discardableResult
    public func withLock<T>(
        waitingUntil ready: (State) -> Bool, deadline: Date? = nil, _ body: (inout State, _ ready: Bool) throws -> T
    ) rethrows -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        var isReady = ready(state)
        while !isReady {
            if let deadline {
                if !condition.wait(until: deadline) {
                    isReady = ready(state)
                    break
                }
            } else {
                condition.wait()
            }
            isReady = ready(state)
        }
        return try body(&state, isReady)
    }
}
