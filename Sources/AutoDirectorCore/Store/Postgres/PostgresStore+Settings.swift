import Foundation
import PostgresNIO

/// The project's configuration, shared by every machine of the project (`stages`).
extension PostgresStore {
    func setting(_ key: String) throws -> String? {
        try read { tx in try tx.one("SELECT value FROM settings WHERE key = \(key)", as: String.self) }
    }

    func setSetting(_ key: String, to value: String?) throws {
        try write { tx in
            if let value {
                try tx.execute("INSERT INTO settings (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
            } else {
                try tx.execute("DELETE FROM settings WHERE key = \(key)")
            }
        }
    }

    func settings() throws -> [(key: String, value: String)] {
        try read { tx in try tx.rows("SELECT key, value FROM settings ORDER BY key").map { (try $0.string(0), try $0.string(1)) } }
    }
}

extension PostgresStore {
    func lastVisit(reviewer: String) throws -> Date? {
        try read { tx in try tx.one("SELECT seen_at FROM visits WHERE reviewer = \(reviewer)", as: String.self).flatMap(StoredDate.date) }
    }

    func recordVisit(reviewer: String, at clock: @autoclosure () -> Date) throws -> Date? {
        try write { tx in
            let previous = try tx.one("SELECT seen_at FROM visits WHERE reviewer = \(reviewer)", as: String.self)
            try tx.execute("""
                INSERT INTO visits (reviewer, seen_at) VALUES (\(reviewer), \(StoredDate.text(clock())))
                ON CONFLICT (reviewer) DO UPDATE SET seen_at = EXCLUDED.seen_at
                """)
            return previous.flatMap(StoredDate.date)
        }
    }
}
