import Synchronization

/// What is known about one render's submission to a remote provider. Bria has no idempotency
/// key: a submit whose answer was lost may have been accepted (and billed), so the journal
/// records "sending" durably before the request leaves and the request id as soon as it is
/// known. A later attempt — in this process or after a crash — polls a known request instead
/// of submitting again, and refuses to guess when the outcome of a submit is unknown.
public final class SubmissionJournal: Sendable {
    public enum State: Sendable, Equatable {
        /// Nothing was sent, or what was sent is known to have been refused.
        case none
        /// A submit left and its answer is unknown.
        case sending
        /// The provider accepted the submit under this id.
        case accepted(requestID: String)
    }

    private let state: Mutex<State>
    private let persist: @Sendable (State) async throws -> Void

    /// `persist` must make the state durable before it returns.
    public init(state: State = .none, persist: @escaping @Sendable (State) async throws -> Void = { _ in }) {
        self.state = Mutex(state)
        self.persist = persist
    }

    public var current: State { state.withLock { $0 } }

    public func record(_ next: State) async throws {
        try await persist(next)
        state.withLock { $0 = next }
    }
}
