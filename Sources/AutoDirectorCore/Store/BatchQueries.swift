import Foundation
import GRDB

/// A batch's rows as stored: enough to plan them again without the original file.
struct StoredRows {
    var batch: Batch
    var mapping: ColumnMapping
    /// In file order: the line of each row and the row verbatim.
    var rows: [(line: Int, value: JSONValue)]
}

extension ProjectStore {
    static let chunkSize = 1000

    /// Stores an ingested file as a new batch in one transaction: the batch, its rows in chunks,
    /// and its shot ids in the project-wide registry. Returns the batch id and whether it was new:
    /// the same bytes ingested again return the existing batch and store nothing.
    func insertBatch(_ file: IngestedFile, at now: Date) throws -> (id: String, isNew: Bool) {
        try write { db in
            if let existing = try String.fetchOne(
                db, sql: "SELECT id FROM batches WHERE source_sha256 = ? AND source_name = ?", arguments: [file.sha256, file.name])
            {
                return (existing, false)
            }
            let id = try freeBatchID(for: file.name, db)
            let header = JSONWriter.compact(.array(file.header.map { .string($0) }))
            let mapping = JSONWriter.compact(["shot_id": .string(file.mapping.shotID), "subject": .string(file.mapping.subject)])
            try db.execute(
                sql: """
                    INSERT INTO batches (id, source_name, source_sha256, format, header, mapping, row_count, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, file.name, file.sha256, file.format.rawValue, header, mapping, file.rows.count, now])
            try insertChunks(file, batchID: id, db)
            do {
                try BulkWrite.withLargeCache(db) {
                    var register = try BulkStatement(db, sql: "INSERT INTO shots (id, batch_id, ordinal, line, subject) VALUES (?, ?, ?, ?, ?)")
                    for (ordinal, row) in file.rows.enumerated() {
                        register.bind(row.item.shotID)
                        register.bind(id)
                        register.bind(ordinal)
                        register.bind(row.item.line)
                        register.bind(row.subject)
                        try register.run()
                    }
                }
            } catch let error as DatabaseError
                where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
            {
                // A shot id of another batch: list every one, then roll back.
                try checkShotIDsAreFree(file, except: id, db)
                throw error
            }
            return (id, true)
        }
    }

    private func insertChunks(_ file: IngestedFile, batchID: String, _ db: Database) throws {
        var insert = try BulkStatement(db, sql: "INSERT INTO batch_chunks (batch_id, chunk, data) VALUES (?, ?, ?)")
        var start = 0
        var chunk = 0
        while start < file.rows.count {
            let end = min(file.rows.count, start + Self.chunkSize)
            var text = "["
            text.reserveCapacity((end - start) * 96)
            for index in start..<end {
                if index > start { text += "," }
                text += "[\(file.rows[index].item.line),\(file.rows[index].raw)]"
            }
            text += "]"
            insert.bind(batchID)
            insert.bind(chunk)
            insert.bind(text)
            try insert.run()
            start = end
            chunk += 1
        }
    }

    /// Shot ids are unique within the project: a file reusing one of another batch's ids is
    /// refused with every conflicting line.
    private func checkShotIDsAreFree(_ file: IngestedFile, except newBatch: String, _ db: Database) throws {
        let lookup = try db.cachedStatement(sql: "SELECT batch_id FROM shots WHERE id = ? AND batch_id <> ?")
        var problems = ProblemList()
        for row in file.rows {
            if let other = try String.fetchOne(lookup, arguments: [row.item.shotID, newBatch]) {
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
            var rows: [(line: Int, value: JSONValue)] = []
            rows.reserveCapacity(row["row_count"] as Int)
            let chunks = try String.fetchCursor(db, sql: "SELECT data FROM batch_chunks WHERE batch_id = ? ORDER BY chunk", arguments: [batchID])
            while let data = try chunks.next() {
                for entry in try Self.chunkEntries(data, batchID: batchID) { rows.append(entry) }
            }
            return StoredRows(batch: try Self.batch(row), mapping: mapping, rows: rows)
        }
    }

    /// The stored source row of a shot: its batch, line and the row verbatim.
    func sourceRow(of shotID: String) throws -> (batchID: String, line: Int, value: JSONValue)? {
        try read { db in
            guard let shot = try Row.fetchOne(db, sql: "SELECT batch_id, ordinal FROM shots WHERE id = ?", arguments: [shotID]) else { return nil }
            let batchID: String = shot[0]
            let ordinal: Int = shot[1]
            guard let data = try String.fetchOne(
                db, sql: "SELECT data FROM batch_chunks WHERE batch_id = ? AND chunk = ?", arguments: [batchID, ordinal / Self.chunkSize])
            else { return nil }
            let entries = try Self.chunkEntries(data, batchID: batchID)
            let index = ordinal % Self.chunkSize
            guard index < entries.count else { return nil }
            return (batchID, entries[index].line, entries[index].value)
        }
    }

    private static func chunkEntries(_ data: String, batchID: String) throws -> [(line: Int, value: JSONValue)] {
        guard let entries = try JSONParser.parse(data).arrayValue else { throw StoredRowError(batchID: batchID, line: nil) }
        return try entries.map { entry in
            guard let pair = entry.arrayValue, pair.count == 2, let line = pair[0].numberValue else {
                throw StoredRowError(batchID: batchID, line: nil)
            }
            return (Int(line), pair[1])
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
