import GRDB
import GRDBSQLite

/// A prepared insert executed through the SQLite C API, for the 100k-row actions (ingest, plan).
/// GRDB's per-execution argument handling costs a few microseconds, which is most of the time of
/// a batch insert; this binds values directly. Use only inside a GRDB write transaction.
struct BulkStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        let statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed database") }
        self.connection = connection
        self.sql = sql
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func bind(_ text: String) {
        index += 1
        var text = text
        let handle = self.handle
        let index = self.index
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress, chars.count > 0 {
                    _ = sqlite3_bind_text(handle, index, base, Int32(chars.count), Self.transient)
                } else {
                    _ = sqlite3_bind_text(handle, index, "", 0, nil)
                }
            }
        }
    }

    mutating func bind(_ text: String?) {
        if let text { bind(text) } else {
            index += 1
            sqlite3_bind_null(handle, index)
        }
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, value)
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    /// Runs the statement with the values bound since the last run.
    mutating func run() throws {
        defer {
            sqlite3_reset(handle)
            index = 0
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let extended = sqlite3_extended_errcode(connection)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: extended), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }
}
