import Foundation
import PostgresNIO

/// A shared project's one renderer across every machine: a session-level advisory lock held
/// by a connection of its own. PostgreSQL releases it when that connection ends, so a render box
/// that dies or loses the database frees the project for another. The connection's
/// application_name says who holds it, for the next one's message.
final class PostgresRenderLock: RenderLock {
    /// The advisory lock's key: the same in every process on the database.
    static let key: Int64 = 0x4155_544F_5245_4E44  // "AUTOREND"
    private var connection: PostgresConnection?
    private let session: PostgresSession

    init(session: PostgresSession) throws {
        self.session = session
        let connection = try session.connect()
        let holder = "autodirector render \(ProcessInfo.processInfo.hostName) pid \(getpid())"
        do {
            let transaction = PostgresTransaction(connection: connection, logger: session.logger)
            try transaction.execute("SELECT set_config('application_name', \(holder), false)")
            let taken = try transaction.one("SELECT pg_try_advisory_lock(\(Self.key))", as: Bool.self) ?? false
            guard taken else {
                let who = try transaction.one(
                    """
                    SELECT a.application_name || COALESCE(' at ' || host(a.client_addr), '') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                    WHERE l.locktype = 'advisory' AND l.granted AND (l.classid::bigint << 32) | l.objid::bigint = \(Self.key)
                    LIMIT 1
                    """, as: String.self)
                throw EngineError.renderBusy(who ?? "another machine")
            }
        } catch {
            PostgresSession.close(connection)
            throw PostgresErrors.translate(error, url: session.url)
        }
        self.connection = connection
    }

    func release() {
        guard let connection else { return }
        self.connection = nil
        _ = try? PostgresTransaction(connection: connection, logger: session.logger).execute("SELECT pg_advisory_unlock(\(Self.key))")
        PostgresSession.close(connection)
    }

    deinit { release() }
}

extension PostgresStore {
    func takeRenderLock(projectDirectory: URL) throws -> any RenderLock {
        try PostgresRenderLock(session: session)
    }
}
