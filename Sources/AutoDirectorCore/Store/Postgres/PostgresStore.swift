import Foundation
import PostgresNIO

/// A shared project's database on PostgreSQL (SPEC §16): the same domain protocols as
/// `SQLiteStore`, in PostgreSQL's SQL. Several machines open one database; writers take turns
/// (see `PostgresSession`), readers read snapshots, and every commit is announced to the
/// other processes with NOTIFY.
final class PostgresStore: ProjectStore {
    let session: PostgresSession

    var location: String { session.url.description }
    let isReadOnly = false

    /// Connects, and creates or upgrades the schema. `.existing` refuses a database that has
    /// no project (an empty database is only made a project by a command that creates one).
    init(url: DatabaseURL, mode: StoreOpenMode, onUpgrade: (@Sendable ([String]) -> Void)? = nil) throws {
        session = try PostgresSession(url: url)
        if mode == .existing {
            let exists = try session.withConnection { connection in
                try PostgresTransaction(connection: connection, logger: session.logger).one(
                    "SELECT to_regclass('autodirector_migrations') IS NOT NULL", as: Bool.self) ?? false
            }
            if !exists { throw StoreError.noProject(url.description) }
        }
        try PostgresSchema.migrate(session, onUpgrade: onUpgrade)
    }

    func read<T>(_ body: (PostgresTransaction) throws -> T) throws -> T { try session.read(body) }
    @discardableResult
    func write<T>(_ body: (PostgresTransaction) throws -> T) throws -> T { try session.write(body) }

    // MARK: StoreMaintenance

    func schemaVersion() throws -> String {
        try read { try PostgresSchema.version($0) }
    }

    /// PostgreSQL keeps its own pages consistent; what can go wrong here is the project's own
    /// invariants, so those are checked: every version's look and shot, every render's image.
    func integrityCheck() throws -> String {
        try read { tx in
            var problems: [String] = []
            if try tx.one("SELECT COUNT(*) FROM project_state", as: Int64.self) != 1 { problems.append("project_state has no single row") }
            let orphans = try tx.one(
                "SELECT COUNT(*) FROM job_items ji LEFT JOIN versions v ON v.shot_id = ji.shot_id AND v.number = ji.version WHERE v.hash IS NULL",
                as: Int64.self) ?? 0
            if orphans > 0 { problems.append("\(orphans) job items name no version") }
            let unplanned = try tx.one(
                """
                SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM looks l WHERE l.id = v.look_id)
                OR NOT EXISTS (SELECT 1 FROM rule_sets r WHERE r.id = v.rule_set_id)
                """, as: Int64.self) ?? 0
            if unplanned > 0 { problems.append("\(unplanned) versions name a look or rule set that is not stored") }
            return problems.isEmpty ? "ok" : problems.joined(separator: "; ")
        }
    }

    func counts() throws -> StoreCounts {
        try read { tx in
            func count(_ table: String) throws -> Int {
                Int(try tx.one(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)"), as: Int64.self) ?? 0)
            }
            return StoreCounts(
                batches: try count("batches"), shots: try count("(SELECT DISTINCT shot_id FROM versions) d"), versions: try count("versions"),
                jobs: try count("jobs"), artifacts: try count("renders"), reviewActions: try count("review_log"))
        }
    }

    func changeWatcher() throws -> any ChangeWatching {
        try PostgresChangeWatcher(session: session)
    }
}

extension PostgresRow {
    /// Column `index` as `T` (an optional type for a nullable column).
    func at<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        try self[self.index(startIndex, offsetBy: index)].decode(T.self)
    }

    func int(_ index: Int) throws -> Int { Int(try at(index, as: Int64.self)) }
    func optionalInt(_ index: Int) throws -> Int? { try at(index, as: Int64?.self).map(Int.init) }
    func string(_ index: Int) throws -> String { try at(index, as: String.self) }
    func optionalString(_ index: Int) throws -> String? { try at(index, as: String?.self) }
    func date(_ index: Int) throws -> Date { StoredDate.date(try string(index)) ?? Date(timeIntervalSince1970: 0) }
    func optionalDate(_ index: Int) throws -> Date? { try optionalString(index).flatMap(StoredDate.date) }
}
