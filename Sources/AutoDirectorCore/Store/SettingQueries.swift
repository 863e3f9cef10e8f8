import Foundation
import GRDB

/// The project's configuration in its database (`stages`).
extension SQLiteStore {
    func setting(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
    }

    func setSetting(_ key: String, to value: String?) throws {
        try write { db in
            if let value {
                try db.execute(
                    sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    arguments: [key, value])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [key])
            }
        }
    }

    func settings() throws -> [(key: String, value: String)] {
        try read { db in try Row.fetchAll(db, sql: "SELECT key, value FROM settings ORDER BY key").map { ($0[0], $0[1]) } }
    }
}

extension SQLiteStore {
    func lastVisit(reviewer: String) throws -> Date? {
        try read { db in try String.fetchOne(db, sql: "SELECT seen_at FROM visits WHERE reviewer = ?", arguments: [reviewer]).flatMap(StoredDate.date) }
    }

    func recordVisit(reviewer: String, at clock: @autoclosure () -> Date) throws -> Date? {
        try write { db in
            let previous = try String.fetchOne(db, sql: "SELECT seen_at FROM visits WHERE reviewer = ?", arguments: [reviewer])
            try db.execute(
                sql: "INSERT INTO visits (reviewer, seen_at) VALUES (?, ?) ON CONFLICT (reviewer) DO UPDATE SET seen_at = excluded.seen_at",
                arguments: [reviewer, StoredDate.text(clock())])
            return previous.flatMap(StoredDate.date)
        }
    }
}
