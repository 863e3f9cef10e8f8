import GRDB

/// Identities derived from stored source rows, decoding each chunk once.
struct SourceIdentities {
    let db: Database
    private var batches: [String: StoredRows] = [:]
    private var chunks: [String: [IngestItem]] = [:]

    init(db: Database) { self.db = db }

    mutating func identity(batchID: String, ordinal: Int) throws -> JSONObject {
        let chunk = ordinal / ProjectStore.chunkSize
        let key = "\(batchID)\u{0}\(chunk)"
        if chunks[key] == nil {
            if batches[batchID] == nil {
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [batchID]) else {
                    throw StoredRowError(batchID: batchID, line: nil)
                }
                batches[batchID] = StoredRows(batch: try ProjectStore.batch(row), mapping: try ProjectStore.mapping(row), chunks: [])
            }
            guard var stored = batches[batchID],
                let data = try String.fetchOne(
                    db, sql: "SELECT data FROM batch_chunks WHERE batch_id = ? AND chunk = ?", arguments: [batchID, chunk])
            else { throw StoredRowError(batchID: batchID, line: nil) }
            stored.chunks = [data]
            chunks[key] = try StoredRowDecoder.items(stored, chunk: 0)
        }
        let items = chunks[key] ?? []
        let index = ordinal % ProjectStore.chunkSize
        guard index < items.count else { throw StoredRowError(batchID: batchID, line: nil) }
        switch items[index] {
        case .record(let record): return record.identity
        case .shot(_, let spec): return SpecParts.split(spec).identity
        }
    }
}
