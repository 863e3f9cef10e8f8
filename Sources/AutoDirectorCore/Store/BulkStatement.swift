import GRDB
import GRDBSQLite

/// A prepared insert executed through the SQLite C API, for the 100k-row actions (ingest, plan).
/// GRDB's per-execution argument handling costs a few microseconds, which is most of the time of
/// a batch insert; this binds values directly. Use only inside a GRDB write transaction.
struct BulkStatement {
    /// Kept so that GRDB, which owns the prepared statement, cannot finalize it while in use.
    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed database") }
        self.connection = connection
        self.sql = sql
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// The first failed bind since the last run, reported by `run`.
    private var bindFailure: Int32 = SQLITE_OK

    private mutating func record(_ code: Int32) {
        if code != SQLITE_OK && bindFailure == SQLITE_OK { bindFailure = code }
    }

    mutating func bind(_ text: String) {
        index += 1
        var text = text
        let handle = self.handle
        let index = self.index
        // SQLITE_TRANSIENT: SQLite copies the bytes before the UTF-8 buffer goes away.
        let code = text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars -> Int32 in
                guard let base = chars.baseAddress, chars.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
                return sqlite3_bind_text64(handle, index, base, UInt64(chars.count), Self.transient, UInt8(SQLITE_UTF8))
            }
        }
        record(code)
    }

    mutating func bind(_ text: String?) {
        if let text { bind(text) } else {
            index += 1
            record(sqlite3_bind_null(handle, index))
        }
    }

    mutating func bind(_ value: Int64) {
        index += 1
        record(sqlite3_bind_int64(handle, index, value))
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    /// Runs the statement with the values bound since the last run, then clears them.
    mutating func run() throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            index = 0
            bindFailure = SQLITE_OK
        }
        if bindFailure != SQLITE_OK {
            throw DatabaseError(resultCode: ResultCode(rawValue: bindFailure), message: String(cString: sqlite3_errstr(bindFailure)), sql: sql)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let extended = sqlite3_extended_errcode(connection)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: extended), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
    }
}
