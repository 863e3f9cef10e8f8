import GRDB

/// Identities derived from stored source rows. Callers go through a batch in ordinal order, so
/// only the chunk in use is kept decoded: a 100k-shot job decodes each chunk once and never holds
/// more than one (a cache of every chunk would hold the whole batch's rows).
struct SourceIdentities {
    let db: Database
    private var batches: [String: StoredRows] = [:]
    private var chunk: (key: String, items: [IngestItem])?

    init(db: Database) { self.db = db }

    mutating func identity(batchID: String, ordinal: Int) throws -> JSONObject {
        let number = ordinal / ProjectStore.chunkSize
        let key = "\(batchID)\u{0}\(number)"
        if chunk?.key != key {
            if batches[batchID] == nil {
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [batchID]) else {
                    throw StoredRowError(batchID: batchID, line: nil)
                }
                batches[batchID] = StoredRows(batch: try ProjectStore.batch(row), mapping: try ProjectStore.mapping(row), chunks: [])
            }
            guard var stored = batches[batchID],
                let data = try String.fetchOne(
                    db, sql: "SELECT data FROM batch_chunks WHERE batch_id = ? AND chunk = ?", arguments: [batchID, number])
            else { throw StoredRowError(batchID: batchID, line: nil) }
            stored.chunks = [data]
            chunk = (key, try StoredRowDecoder.items(stored, chunk: 0))
        }
        let items = chunk?.items ?? []
        let index = ordinal % ProjectStore.chunkSize
        guard index < items.count else { throw StoredRowError(batchID: batchID, line: nil) }
        switch items[index] {
        case .record(let record): return record.identity
        case .shot(_, let spec): return SpecParts.split(spec).identity
        }
    }
}
