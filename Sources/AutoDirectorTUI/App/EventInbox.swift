import Foundation

/// Events posted from other threads for the UI loop, which drains them each tick. Headless
/// drivers (tests, `bench tui`) can also wait for the next event, with a deadline.
public final class EventInbox: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var events: [AppEvent] = []

    public init() {}

    public func post(_ event: AppEvent) {
        condition.lock()
        events.append(event)
        condition.broadcast()
        condition.unlock()
    }

    public func drain() -> [AppEvent] {
        condition.lock()
        defer { condition.unlock() }
        let drained = events
        events.removeAll()
        return drained
    }

    /// Waits until an event is waiting or `deadline` passes; true when one is.
    public func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while events.isEmpty {
            if !condition.wait(until: deadline) { return !events.isEmpty }
        }
        return true
    }
}
