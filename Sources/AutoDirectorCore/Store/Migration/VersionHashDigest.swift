import GRDB
import PostgresNIO

/// One SHA-256 over every version's (shot id, number, hash), in (shot id, number) order: equal
/// on both databases exactly when they hold the same triples. Each side computes its own —
/// PostgreSQL in one aggregate, SQLite by streaming — so 100k versions are compared without
/// sending them back. Both sort shot ids as bytes (SQLite's BINARY, PostgreSQL's "C").
enum VersionHashDigest {
    struct Value: Equatable {
        var versions: Int
        var sha256: String
    }

    static func sqlite(_ db: Database) throws -> Value {
        let statement = try db.makeStatement(sql: "SELECT shot_id, number, hash FROM versions ORDER BY shot_id, number")
        let rows = try Row.fetchCursor(statement)
        var hasher = StreamingSHA256()
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 16)
        var count = 0
        while let row = try rows.next() {
            let shotID: String = row[0]
            let number: Int64 = row[1]
            let hash: String = row[2]
            pending += shotID.utf8
            pending.append(0x09)
            pending += String(number).utf8
            pending.append(0x09)
            pending += hash.utf8
            pending.append(0x0A)
            count += 1
            if pending.count >= 1 << 16 {
                hasher.update(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        hasher.update(pending)
        return Value(versions: count, sha256: hasher.finalizeHex())
    }

    static func postgres(_ tx: PostgresTransaction) throws -> Value {
        let row = try tx.rows("""
            SELECT COUNT(*), encode(sha256(convert_to(COALESCE(
                string_agg(shot_id || E'\\t' || number || E'\\t' || hash || E'\\n', '' ORDER BY shot_id, number), ''), 'UTF8')), 'hex')
            FROM versions
            """).first
        guard let row else { throw StoreError.database("the versions digest returned no row") }
        return Value(versions: try row.int(0), sha256: try row.string(1))
    }
}
