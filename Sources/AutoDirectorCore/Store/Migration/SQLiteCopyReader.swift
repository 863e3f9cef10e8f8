import GRDB
import GRDBSQLite

/// Reads a table of a SQLite project as COPY text, a chunk at a time: each value goes from
/// SQLite's row straight into the buffer as bytes (no String, no record per row), and a table is
/// never held whole — 100k shots are sent as a few chunks of `chunkBytes` while the next ones
/// are read.
enum SQLiteCopyReader {
    /// Streams every row of `table` to `send` in chunks of about `chunkBytes`; the rows read.
    static func read(
        _ table: MigratedTable, from db: Database, chunkBytes: Int, send: (CopyText) throws -> Void
    ) throws -> Int {
        // The names are the migration's own constants, never user data.
        let sql = "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name)"
        let statement = try db.makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let columnCount = Int32(table.columns.count)
        var text = CopyText()
        var rows = 0
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errstr(code)), sql: sql)
            }
            for column in 0..<columnCount {
                guard sqlite3_column_type(handle, column) != SQLITE_NULL else {
                    text.addField(nil)
                    continue
                }
                // SQLite gives an INTEGER as its decimal text, which is what COPY reads for BIGINT.
                // The text pointer first, then its length (SQLite's documented order).
                let bytes = sqlite3_column_text(handle, column)
                let length = Int(sqlite3_column_bytes(handle, column))
                text.addField(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            text.endRow()
            rows += 1
            if text.buffer.readableBytes >= chunkBytes {
                try send(text)
                text.reset()
            }
        }
        if text.rows > 0 { try send(text) }
        return rows
    }
}
