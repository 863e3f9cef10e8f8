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
