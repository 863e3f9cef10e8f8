import Foundation
import GRDB

extension SQLiteStore {
    /// Stores an ingested file as a new batch in one transaction: the batch, its rows in chunks,
    /// and its shot ids in the project-wide registry, written while the file is still being read.
    /// If the file turns out invalid, or reuses another batch's shot ids, everything is rolled
    /// back. Returns the batch id, the row count and whether the batch is new: the same bytes
    /// ingested again return the existing batch and store nothing.
    func insertBatch(_ file: IngestedFile, at clock: @autoclosure () -> Date) throws -> (id: String, rows: Int, isNew: Bool) {
        defer { file.rows.cancel() }
        return try write { db in
            // The time is taken under the write lock, so timestamps follow commit order.
            let now = clock()
            let mapping = StoredChunks.mappingJSON(file.mapping)
            if let existing = try Row.fetchOne(
                db, sql: "SELECT id, row_count FROM batches WHERE source_sha256 = ? AND source_name = ? AND mapping = ?",
                arguments: [file.sha256, file.name, mapping])
            {
                return (existing[0], existing[1], false)
            }
            let id = try freeBatchID(for: file.name, db)
            let header = StoredChunks.headerJSON(file.header)
            try db.execute(
                sql: """
                    INSERT INTO batches (id, source_name, source_sha256, format, header, mapping, row_count, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 0, ?)
                    """,
                arguments: [id, file.name, file.sha256, file.format.rawValue, header, mapping, now])
            // Every row's id and line, to list clashes with other batches if there are any.
            var seen: [(shotID: String, line: Int, column: Int?)] = []
            var clash = false
            try BulkWrite.withLargeCache(db) {
                var register = BatchedInsert(db, table: "shots", columns: ["id", "batch_id", "ordinal", "line", "subject"])
                var insertChunk = try BulkStatement(db, sql: "INSERT INTO batch_chunks (batch_id, chunk, data) VALUES (?, ?, ?)")
                var chunkIndex = 0
                while let rows = try file.rows.next() {
                    seen += rows.map { ($0.shotID, $0.line, $0.column) }
                    // After a clash keep draining: the reader may still find problems to report.
                    if clash { continue }
                    insertChunk.bind(id)
                    insertChunk.bind(chunkIndex)
                    insertChunk.bind(StoredChunks.text(rows))
                    try insertChunk.run()
                    do {
                        for (offset, row) in rows.enumerated() {
                            try register.add(
                                .text(row.shotID), .text(id), .int(Int64(chunkIndex * StoredChunks.size + offset)), .int(Int64(row.line)),
                                .text(row.subject))
                        }
                        try register.flush()
                    } catch let error as DatabaseError
                        where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                    {
                        clash = true
                    }
                    chunkIndex += 1
                }
            }
            if clash {
                // The file itself had no duplicates (the reader would have failed), so the ids
                // belong to other batches: list every one, then roll back.
                try checkShotIDsAreFree(file.path, seen, except: id, db)
            }
            try db.execute(sql: "UPDATE batches SET row_count = ? WHERE id = ?", arguments: [seen.count, id])
            return (id, seen.count, true)
        }
    }

    /// Shot ids are unique within the project: a file reusing one of another batch's ids is
    /// refused with every conflicting line.
    private func checkShotIDsAreFree(
        _ path: String, _ rows: [(shotID: String, line: Int, column: Int?)], except newBatch: String, _ db: Database
    ) throws {
        let lookup = try db.cachedStatement(sql: "SELECT batch_id FROM shots WHERE id = ? AND batch_id <> ?")
        var problems = ProblemList()
        for row in rows {
            if let other = try String.fetchOne(lookup, arguments: [row.shotID, newBatch]) {
                problems.add(IngestProblem(
                    line: row.line, column: row.column,
                    message: "shot_id \(TextSanitizer.quoted(row.shotID)) already exists in batch \(other) "
                        + "(shot ids are unique in a project: patch the existing shot, or ingest into another project)"))
            }
        }
        if problems.isEmpty {
            throw IngestError(file: path, problems: [IngestProblem(line: nil, message: "a shot id is already in use")])
        }
        throw problems.error(file: path)
    }

    /// The file's readable id (see `StoredChunks.batchIDs`), numbered when taken.
    private func freeBatchID(for fileName: String, _ db: Database) throws -> String {
        for candidate in StoredChunks.batchIDs(for: fileName)
        where try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM batches WHERE id = ?)", arguments: [candidate]) != true {
            return candidate
        }
        preconditionFailure("batchIDs is endless")
    }

    func batches() throws -> [Batch] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM batches ORDER BY created_at, id").map(Self.batch)
        }
    }

    func batch(_ id: String) throws -> Batch? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [id]).map(Self.batch) }
    }

    func planFiles(of batchID: String) throws -> PlanFiles {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT b.path, f.text FROM batch_plan_files b JOIN plan_files f ON f.sha256 = b.sha256 WHERE b.batch_id = ?",
                arguments: [batchID])
            return PlanFiles(texts: Dictionary(rows.map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first }))
        }
    }

    func storedRows(of batchID: String) throws -> StoredRows? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [batchID]) else { return nil }
            let mapping = try Self.mapping(row)
            let chunks = try String.fetchAll(db, sql: "SELECT data FROM batch_chunks WHERE batch_id = ? ORDER BY chunk", arguments: [batchID])
            return StoredRows(batch: try Self.batch(row), mapping: mapping, chunks: chunks)
        }
    }

    /// The stored source row of a shot: its batch, line and the row verbatim.
    func sourceRow(of shotID: String) throws -> (batchID: String, line: Int, value: JSONValue)? {
        try read { db in
            guard let shot = try Row.fetchOne(db, sql: "SELECT batch_id, ordinal FROM shots WHERE id = ?", arguments: [shotID]) else { return nil }
            let batchID: String = shot[0]
            let ordinal: Int = shot[1]
            guard let data = try String.fetchOne(
                db, sql: "SELECT data FROM batch_chunks WHERE batch_id = ? AND chunk = ?", arguments: [batchID, ordinal / StoredChunks.size])
            else { return nil }
            let entries = try StoredChunks.entries(data, batchID: batchID)
            let index = ordinal % StoredChunks.size
            guard index < entries.count else { return nil }
            return (batchID, entries[index].line, entries[index].value)
        }
    }

    static func mapping(_ row: Row) throws -> ColumnMapping {
        try StoredChunks.mapping(fromJSON: row["mapping"])
    }

    static func batch(_ row: Row) throws -> Batch {
        Batch(
            id: row["id"], sourceName: row["source_name"], sourceSHA256: row["source_sha256"],
            format: InputFormat(rawValue: row["format"]) ?? .csv, header: try StoredChunks.header(fromJSON: row["header"]),
            rowCount: row["row_count"], createdAt: row["created_at"], preset: row["preset"], plannedAt: row["planned_at"])
    }
}
