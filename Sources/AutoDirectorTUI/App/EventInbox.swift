import AutoDirectorCore
import Foundation

/// Events posted from other threads for the UI loop, which drains them each tick. Headless
/// drivers (tests, `bench tui`) can also wait for the next event, with a deadline, on a thread
/// that may block (see `Blocking`).
public final class EventInbox: Sendable {
    private let events = Monitor<[AppEvent]>([])

    public init() {}

    public func post(_ event: AppEvent) {
        events.withLock { $0.append(event) }
    }

    public func drain() -> [AppEvent] {
        events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }

    /// Waits until an event is waiting or `deadline` passes; true when one is.
    public func wait(until deadline: Date) -> Bool {
        events.withLock(waitingUntil: { !$0.isEmpty }, deadline: deadline) { _, ready in ready }
    }
}
