import Foundation
import GRDB

/// One version as stored.
struct VersionRow {
    var shotID: String
    var number: Int
    var hash: String
    var parentHash: String?
    var seed: UInt32
    var identity: String?
    var look: SharedJSON
    var rulesApplied: SharedJSON
    var origin: ShotVersion.Origin

    init(_ shot: PlannedShot, number: Int, parentHash: String?) {
        self.init(
            shotID: shot.shotID, number: number, hash: shot.hash, parentHash: parentHash, seed: shot.seed, identity: shot.identity,
            look: shot.look, rulesApplied: shot.rulesApplied, origin: shot.origin)
    }

    init(
        shotID: String, number: Int, hash: String, parentHash: String?, seed: UInt32, identity: String?, look: SharedJSON,
        rulesApplied: SharedJSON, origin: ShotVersion.Origin
    ) {
        self.shotID = shotID
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.seed = seed
        self.identity = identity
        self.look = look
        self.rulesApplied = rulesApplied
        self.origin = origin
    }
}

/// Inserts versions inside one transaction, storing each distinct look and list of reasons once.
/// Rows are written in multi-row statements: call `flush()` before the transaction ends.
struct VersionWriter {
    private let db: Database
    private var insert: BatchedInsert
    private let createdAt: String
    private var looks = SharedIDs()
    private var ruleSets = SharedIDs()

    init(_ db: Database, at now: Date) throws {
        self.db = db
        insert = BatchedInsert(
            db, table: "versions",
            columns: ["shot_id", "number", "hash", "parent_hash", "seed", "identity", "look_id", "rule_set_id", "origin", "created_at"])
        // Formatted once per action: every version of one action shares its timestamp.
        createdAt = String.fromDatabaseValue(now.databaseValue) ?? ""
    }

    mutating func insert(_ row: VersionRow) throws {
        let lookID = try Self.sharedID(row.look, table: "looks", memo: &looks, db)
        let ruleSetID = try Self.sharedID(row.rulesApplied, table: "rule_sets", memo: &ruleSets, db)
        try insert.add(
            .text(row.shotID), .int(Int64(row.number)), .text(row.hash), row.parentHash.map { .text($0) } ?? .null,
            .int(Int64(row.seed)), row.identity.map { .text($0) } ?? .null, .int(lookID), .int(ruleSetID),
            .text(row.origin.rawValue), .text(createdAt))
    }

    mutating func flush() throws {
        try insert.flush()
    }

    private static func sharedID(_ shared: SharedJSON, table: String, memo: inout SharedIDs, _ db: Database) throws -> Int64 {
        if let id = memo[shared.key] { return id }
        let id: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE key = ?", arguments: [shared.key]) {
            id = existing
        } else {
            try db.execute(sql: "INSERT INTO \(table) (key, json) VALUES (?, ?)", arguments: [shared.key, shared.json])
            id = db.lastInsertedRowID
        }
        memo[shared.key] = id
        return id
    }
}

/// Row ids of stored looks and reason lists by key. A batch usually has a handful, each shared
/// by thousands of rows as the very same string: a short list compared with == (identical
/// storage compares in O(1)) beats hashing a 64-character key per row; past a few dozen keys a
/// dictionary takes over.
struct SharedIDs {
    private var recent: [(key: String, id: Int64)] = []
    private var all: [String: Int64] = [:]

    subscript(key: String) -> Int64? {
        get {
            for entry in recent where entry.key == key { return entry.id }
            return all[key]
        }
        set {
            guard let newValue else { return }
            if recent.count < 32 { recent.append((key, newValue)) } else { all[key] = newValue }
        }
    }
}
