import Foundation
import GRDB

/// A batch's rows as stored: enough to plan them again without the original file.
struct StoredRows {
    var batch: Batch
    var mapping: ColumnMapping
    var rows: [(ordinal: Int, line: Int, shotID: String, data: String)]
}

extension ProjectStore {
    /// Stores an ingested file as a new batch in one transaction. Returns the batch id and whether
    /// it was new: the same bytes ingested again return the existing batch and store nothing.
    func insertBatch(_ file: IngestedFile, at now: Date) throws -> (id: String, isNew: Bool) {
        try write { db in
            if let existing = try String.fetchOne(
                db, sql: "SELECT id FROM batches WHERE source_sha256 = ? AND source_name = ?", arguments: [file.sha256, file.name])
            {
                return (existing, false)
            }
            try checkShotIDsAreFree(file, db)
            let id = try freeBatchID(for: file.name, db)
            let header = JSONWriter.compact(.array(file.header.map { .string($0) }))
            let mapping = JSONWriter.compact(["shot_id": .string(file.mapping.shotID), "subject": .string(file.mapping.subject)])
            try db.execute(
                sql: """
                    INSERT INTO batches (id, source_name, source_sha256, format, header, mapping, row_count, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, file.name, file.sha256, file.format.rawValue, header, mapping, file.rows.count, now])
            let insert = try db.cachedStatement(
                sql: "INSERT INTO batch_rows (batch_id, ordinal, line, shot_id, data) VALUES (?, ?, ?, ?, ?)")
            for (ordinal, row) in file.rows.enumerated() {
                try insert.execute(arguments: [id, ordinal, row.item.line, row.item.shotID, row.raw])
            }
            return (id, true)
        }
    }

    /// Shot ids are unique within the project: a file reusing one of another batch's ids is
    /// refused with every conflicting line.
    private func checkShotIDsAreFree(_ file: IngestedFile, _ db: Database) throws {
        let lookup = try db.cachedStatement(sql: "SELECT batch_id FROM batch_rows WHERE shot_id = ?")
        var problems = ProblemList()
        for row in file.rows {
            if let other = try String.fetchOne(lookup, arguments: [row.item.shotID]) {
                problems.add(IngestProblem(
                    line: row.item.line,
                    message: "shot_id \(TextSanitizer.quoted(row.item.shotID)) already exists in batch \(other)"))
            }
        }
        if !problems.isEmpty { throw problems.error(file: file.name) }
    }

    /// A readable id from the file name (`products.csv` → `products`), numbered when taken.
    private func freeBatchID(for fileName: String, _ db: Database) throws -> String {
        let stem = (fileName as NSString).deletingPathExtension.lowercased()
        var base = String(stem.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (scalar.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" ? c : "-"
        })
        while base.hasPrefix("-") || base.hasPrefix("_") { base.removeFirst() }
        if base.isEmpty { base = "batch" }
        base = String(base.prefix(48))
        var candidate = base
        var counter = 2
        while try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM batches WHERE id = ?)", arguments: [candidate]) == true {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        return candidate
    }

    func batches() throws -> [Batch] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batches ORDER BY created_at, id").map(Self.batch)
        }
    }

    func batch(_ id: String) throws -> Batch? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [id]).map(Self.batch) }
    }

    func storedRows(of batchID: String) throws -> StoredRows? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [batchID]) else { return nil }
            let mappingJSON = try JSONParser.parse(row["mapping"] as String)
            let mapping = ColumnMapping(
                shotID: mappingJSON["shot_id"]?.stringValue ?? ColumnMapping.default.shotID,
                subject: mappingJSON["subject"]?.stringValue ?? ColumnMapping.default.subject)
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT ordinal, line, shot_id, data FROM batch_rows WHERE batch_id = ? ORDER BY ordinal", arguments: [batchID])
            var rows: [(ordinal: Int, line: Int, shotID: String, data: String)] = []
            rows.reserveCapacity(row["row_count"] as Int)
            while let r = try cursor.next() {
                rows.append((r[0], r[1], r[2], r[3]))
            }
            return StoredRows(batch: try Self.batch(row), mapping: mapping, rows: rows)
        }
    }

    /// The stored source row of a shot: its batch, line and fields.
    func sourceRow(of shotID: String) throws -> (batchID: String, line: Int, data: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT batch_id, line, data FROM batch_rows WHERE shot_id = ?", arguments: [shotID])
                .map { ($0[0], $0[1], $0[2]) }
        }
    }

    static func batch(_ row: Row) throws -> Batch {
        let header = try JSONParser.parse(row["header"] as String).arrayValue?.compactMap(\.stringValue) ?? []
        return Batch(
            id: row["id"], sourceName: row["source_name"], sourceSHA256: row["source_sha256"],
            format: InputFormat(rawValue: row["format"]) ?? .csv, header: header, rowCount: row["row_count"],
            createdAt: row["created_at"], preset: row["preset"], plannedAt: row["planned_at"])
    }
}
