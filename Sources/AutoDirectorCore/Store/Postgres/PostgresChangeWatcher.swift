import Foundation
import PostgresNIO
import Synchronization

/// Tells when another process committed to a shared project (SPEC §16). One dedicated
/// connection LISTENs for the NOTIFY every write transaction sends; it reconnects with backoff
/// when the connection drops, and after every reconnect the next `changed()` runs the catch-up
/// query, since notifications sent meanwhile are not replayed. A jittered poll of the same
/// query stays as the fallback: NOTIFY is for latency, never for correctness. The process's own
/// commits are skipped (the session knows their generations).
final class PostgresChangeWatcher: ChangeWatching {
    private struct State {
        /// Every generation up to this one has been reported (or was this process's own).
        var reported: Int64 = 0
        /// The latest generation known, by notification or by query.
        var latest: Int64 = 0
        /// A notification of another process's commit arrived since the last `changed()`.
        var notified = false
        /// The listener (re)connected: notifications may have been missed.
        var needsCatchUp = true
        var listening = false
        var nextPoll = Date.distantPast
    }

    /// The state the listening task and `changed()` share.
    private final class Shared: Sendable {
        let mutex = Mutex(State())
        func withLock<T>(_ body: (inout State) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    private let session: PostgresSession
    private let state = Shared()
    private let listener: Task<Void, Never>?
    /// The fallback poll's period while LISTEN works, and while it does not.
    private static let pollWhileListening: ClosedRange<Double> = 4...6
    private static let pollWithoutListening: ClosedRange<Double> = 0.4...0.6

    init(session: PostgresSession) throws {
        self.session = session
        let initial = try Self.generation(session)
        state.withLock {
            $0.reported = initial
            $0.latest = initial
        }
        let state = self.state
        // Without LISTEN (`listen=off`), every `changed()` asks the database.
        listener = session.url.listens ? Task.detached { await Self.listen(session: session, state: state) } : nil
    }

    deinit { listener?.cancel() }

    var hearsCommits: Bool { listener != nil }

    func changed() throws -> Bool {
        let mustQuery = state.withLock { state in
            state.needsCatchUp || !state.listening || Date() >= state.nextPoll
        }
        let current = mustQuery ? try Self.generation(session) : nil
        return state.withLock { state in
            if let current {
                let interval = state.listening ? Self.pollWhileListening : Self.pollWithoutListening
                state.nextPoll = Date().addingTimeInterval(Double.random(in: interval))
                state.needsCatchUp = false
                state.latest = max(state.latest, current)
            }
            defer {
                state.reported = max(state.reported, state.latest)
                state.notified = false
            }
            if state.notified { return true }
            guard current != nil, state.latest > state.reported else { return false }
            // Changed unless every generation since was this process's own.
            if state.latest - state.reported > 512 { return true }
            return (state.reported + 1...state.latest).contains { !session.isOwn($0) }
        }
    }

    private static func generation(_ session: PostgresSession) throws -> Int64 {
        try session.withConnection { connection in
            try PostgresTransaction(connection: connection, logger: session.logger).one(
                "SELECT generation FROM project_state WHERE id = 1", as: Int64.self) ?? 0
        }
    }

    /// The listening loop: connect, LISTEN, take notifications; on any failure wait (backoff
    /// with jitter, up to 5 s) and start again, until cancelled.
    private static func listen(session: PostgresSession, state: Shared) async {
        var backoff = 0.25
        while !Task.isCancelled {
            do {
                let connection = try await session.connectAsync()
                defer { PostgresSession.close(connection) }
                try await connection.listen(on: PostgresSession.channel) { notifications in
                    state.withLock {
                        $0.listening = true
                        $0.needsCatchUp = true
                    }
                    backoff = 0.25
                    for try await notification in notifications {
                        let parts = notification.payload.split(separator: " ")
                        guard parts.count == 2, let generation = Int64(parts[1]) else { continue }
                        let own = parts[0] == session.writerToken[...]
                        state.withLock { state in
                            if !own { state.notified = true }
                            state.latest = max(state.latest, generation)
                        }
                    }
                }
            } catch {
                // Unreachable, or the connection dropped: poll meanwhile, and try again.
            }
            state.withLock {
                $0.listening = false
                $0.needsCatchUp = true
            }
            try? await Task.sleep(for: .seconds(backoff * Double.random(in: 0.8...1.2)))
            backoff = min(5, backoff * 2)
        }
    }
}
