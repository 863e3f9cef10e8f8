import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// Connections to a shared project's database, used from blocking callers: a small set of idle
/// connections reused by whichever thread asks, each opened on demand and dropped when the
/// server or the network closed it (the next call opens a new one, so a restarted server is
/// used again without a restart here).
///
/// Writes are serialized project-wide, as SQLite's are: every write transaction first takes the
/// row lock of `project_state` and bumps its generation, and announces that generation with
/// NOTIFY inside the same transaction (delivered only if it commits). Readers are never blocked.
final class PostgresSession: Sendable {
    let url: DatabaseURL
    /// Identifies this process's commits in notifications and in `project_state.writer`.
    let writerToken: String
    /// Credentials and options; each connection gets its own socket (`PostgresSocket`).
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)
    private let ownGenerations = Mutex<OwnGenerations>(OwnGenerations())
    let logger: Logger
    static let channel = "autodirector_changes"
    /// SQLSTATE of a transaction the server aborted to break a deadlock.
    static let deadlockDetected = "40P01"
    private static let maxIdle = 8

    init(url: DatabaseURL) throws {
        self.url = url
        writerToken = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        var logger = Logger(label: "autodirector.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: try Self.tls(url.sslMode))
        configuration.options.connectTimeout = .seconds(5)
        // SNI as postgres-nio sends it for a host name (not for an address).
        if !PostgresSocket.isAddress(url.host) { configuration.options.tlsServerName = url.host }
        configuration.options.additionalStartupParameters = [
            ("application_name", "autodirector"),
            // A writer waits for another's transaction as SQLite's busy timeout lets it.
            ("lock_timeout", "60000"),
            // A process that dies or is cut off inside a transaction releases its locks soon.
            ("idle_in_transaction_session_timeout", "30000"),
        ]
        self.configuration = configuration
    }

    private static func tls(_ mode: DatabaseURL.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        guard mode != .disable else { return .disable }
        var tls = TLSConfiguration.makeClientConfiguration()
        // libpq's prefer and require encrypt without checking the certificate.
        tls.certificateVerification = .none
        let context = try NIOSSLContext(configuration: tls)
        return mode == .require ? .require(context) : .prefer(context)
    }

    deinit {
        for connection in idle.withLock({ $0 }) { Self.close(connection) }
    }

    // MARK: Connections

    func connect() throws -> PostgresConnection {
        do { return try startConnecting().wait() } catch { throw PostgresErrors.translate(error, url: url) }
    }

    /// `connect` for async callers (the change watcher's listener), off the blocking path.
    func connectAsync() async throws -> PostgresConnection {
        do { return try await startConnecting().get() } catch { throw PostgresErrors.translate(error, url: url) }
    }

    private func startConnecting() -> EventLoopFuture<PostgresConnection> {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let (configuration, logger) = (self.configuration, self.logger)
        return PostgresSocket.connect(host: url.host, port: url.port, timeout: configuration.options.connectTimeout, on: eventLoop)
            .flatMap { channel in
                var established = PostgresConnection.Configuration(
                    establishedChannel: channel, tls: configuration.tls, username: configuration.username,
                    password: configuration.password, database: configuration.database)
                established.options = configuration.options
                return PostgresConnection.connect(on: eventLoop, configuration: established, id: id, logger: logger)
                    .flatMapError { error in
                        // Refused (a password, a database): the socket is ours to close.
                        channel.close(promise: nil)
                        return eventLoop.makeFailedFuture(error)
                    }
            }
    }

    /// Closes a connection without waiting; the connection is kept alive until it is closed
    /// (postgres-nio requires a connection to be closed before it is released).
    static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Runs `body` on a connection of its own; the connection goes back to the idle set unless it
    /// was closed under it.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try idleConnection() ?? connect()
        do {
            let result = try body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw PostgresErrors.translate(error, url: url)
        }
    }

    /// An idle connection that is still open; those the server closed meanwhile (a restart, an
    /// idle timeout) are dropped.
    private func idleConnection() -> PostgresConnection? {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
            Self.close(connection)
        }
        return nil
    }

    private func release(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let kept = idle.withLock { idle in
            guard idle.count < Self.maxIdle else { return false }
            idle.append(connection)
            return true
        }
        if !kept { Self.close(connection) }
    }

    // MARK: Transactions

    /// A read in one snapshot: every statement of `body` sees the same committed state.
    func read<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        try withConnection { connection in
            let transaction = PostgresTransaction(connection: connection, logger: logger)
            try transaction.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let result = try body(transaction)
                try transaction.execute("COMMIT")
                return result
            } catch {
                _ = try? transaction.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// One write transaction, serialized with every other writer of the project (see above)
    /// from its first statement: what it reads (the next version number, the next review
    /// action) stays true until it commits.
    @discardableResult
    func write<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        // One attempt: a body may consume a stream (a plan's versions, a batch's rows), so it
        // cannot be run again; only the two-part writes below can deadlock with each other.
        try withConnection { connection in try transaction(on: connection, unserialized: { _ in }, body) }
    }

    /// A write transaction whose first part (`unserialized`) runs before it takes its turn among
    /// the project's writers: for rows that derive nothing from what the transaction reads and
    /// are guarded by locks of their own (a render's images and renders, on their unique digests
    /// and hashes). Those inserts then run while others take turns, and a reviewer's decision
    /// waits behind the rest of it (`body`) and its commit, not behind them. A deadlock between
    /// the two parts' locks and another writer's (the same image inserted by both) aborts one;
    /// this one is then run again from the start (nothing of it was stored).
    @discardableResult
    func write<T>(unserialized: (PostgresTransaction) throws -> Void, _ body: (PostgresTransaction) throws -> T) throws -> T {
        try withConnection { connection in
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try transaction(on: connection, unserialized: unserialized, body)
                } catch where attempt < 3 && PostgresErrors.sqlState(error) == Self.deadlockDetected {
                    continue
                }
            }
        }
    }

    /// A write transaction outside the project's writers' turns, announcing nothing: for the
    /// render queue's own bookkeeping (claims, heartbeats, the reaper), which other processes
    /// need not be told of and which must not wait behind a render's commit. A deadlock with
    /// another writer's row locks aborts it; it is run again, as the bodies here can be.
    @discardableResult
    func writeOutsideTurn<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        try withConnection { connection in
            var attempt = 0
            while true {
                attempt += 1
                let transaction = PostgresTransaction(connection: connection, logger: logger)
                do {
                    try transaction.execute("BEGIN")
                    let result = try body(transaction)
                    try transaction.execute("COMMIT")
                    return result
                } catch {
                    _ = try? transaction.execute("ROLLBACK")
                    if attempt < 3 && PostgresErrors.sqlState(error) == Self.deadlockDetected { continue }
                    throw error
                }
            }
        }
    }

    private func transaction<T>(
        on connection: PostgresConnection, unserialized: (PostgresTransaction) throws -> Void, _ body: (PostgresTransaction) throws -> T
    ) throws -> T {
        let transaction = PostgresTransaction(connection: connection, logger: logger)
        try transaction.execute("BEGIN")
        do {
            try unserialized(transaction)
            let generation = try transaction.one(
                "UPDATE project_state SET generation = generation + 1, writer = \(writerToken) WHERE id = 1 RETURNING generation",
                as: Int64.self)
            guard let generation else { throw StoreError.database("the project_state row is missing") }
            let result = try body(transaction)
            try transaction.execute("SELECT pg_notify(\(Self.channel), \("\(writerToken) \(generation)"))")
            // Known as this process's own before anyone can see it; forgotten if it never
            // commits, since another writer then takes the same number.
            ownGenerations.withLock { $0.insert(generation) }
            do {
                try transaction.execute("COMMIT")
            } catch {
                ownGenerations.withLock { $0.remove(generation) }
                throw error
            }
            return result
        } catch {
            _ = try? transaction.execute("ROLLBACK")
            throw error
        }
    }

    /// Whether this process committed the given generation.
    func isOwn(_ generation: Int64) -> Bool {
        ownGenerations.withLock { $0.contains(generation) }
    }
}

/// The generations this process committed lately (the watcher's question is always about the
/// last few seconds).
struct OwnGenerations {
    private var recent: Set<Int64> = []
    private var order: [Int64] = []

    mutating func insert(_ generation: Int64) {
        recent.insert(generation)
        order.append(generation)
        if order.count > 4096 {
            for old in order.prefix(2048) { recent.remove(old) }
            order.removeFirst(2048)
        }
    }

    mutating func remove(_ generation: Int64) { recent.remove(generation) }

    func contains(_ generation: Int64) -> Bool { recent.contains(generation) }
}

/// Statements on the connection of one transaction.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement; the number of rows it changed (or returned).
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        let result = try answer(connection.query(query, logger: logger))
        return result.metadata.rows ?? result.rows.count
    }

    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try answer(connection.query(query, logger: logger)).rows
    }

    /// Waits for a statement's answer, or fails when its connection closes without one:
    /// postgres-nio can leave a query sent on a connection that is closing unanswered for
    /// good (vapor/postgres-nio#487, reverted in #501), and a worker would then hang through
    /// a database restart. The connection is looked at twice a second while the answer waits.
    ///
    /// The answer is taken from the one callback (a hop to the event loop, as `wait()` makes):
    /// asking the future again would cost a second hop per statement.
    private func answer<T: Sendable>(_ future: EventLoopFuture<T>) throws -> T {
        let answer = Answer<T>()
        future.whenComplete { result in answer.arrive(result) }
        while answer.arrived.wait(timeout: .now() + .milliseconds(500)) == .timedOut {
            guard connection.isClosed else { continue }
            // An answer that raced the close still counts.
            if answer.arrived.wait(timeout: .now() + .milliseconds(500)) == .success { break }
            throw PostgresConnectionLost()
        }
        return try answer.result().get()
    }

    /// The first column of the first row, or nil when there is none.
    func one<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> T? {
        guard let row = try rows(query).first else { return nil }
        return try row.decode(T.self)
    }

    /// The first column of every row.
    func column<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> [T] {
        try rows(query).map { try $0.decode(T.self) }
    }

    /// Streams rows to the server with COPY … FROM STDIN (text format). The table and column
    /// names are the store's own constants, never user data.
    func copy(into table: String, columns: [String], data: ByteBuffer) throws {
        let connection = self.connection
        let logger = self.logger
        try Blocking.await {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                try await writer.write(data)
            }
        }
    }
}

/// A connection closed while a statement waited for its answer (see `PostgresTransaction`).
struct PostgresConnectionLost: Error {}

/// A statement's answer as its callback delivers it (see `PostgresTransaction.answer`).
private final class Answer<T: Sendable>: Sendable {
    let arrived = DispatchSemaphore(value: 0)
    private let value = Mutex<Result<T, any Error>?>(nil)

    func arrive(_ result: Result<T, any Error>) {
        value.withLock { $0 = result }
        arrived.signal()
    }

    /// After `arrived` was signalled.
    func result() -> Result<T, any Error> {
        value.withLock { $0 } ?? .failure(PostgresConnectionLost())
    }
}
