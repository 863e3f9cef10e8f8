import GRDB

/// Identities derived from stored source rows. Callers go through a batch in ordinal order, so
/// only the chunk in use is kept decoded: a 100k-shot job decodes each chunk once and never holds
/// more than one (a cache of every chunk would hold the whole batch's rows). Each store supplies
/// how to read a batch (without its chunks) and one chunk's text.
struct SourceIdentities {
    private let loadBatch: (String) throws -> StoredRows?
    private let loadChunk: (String, Int) throws -> String?
    private var batches: [String: StoredRows] = [:]
    private var chunk: (key: String, items: [IngestItem])?

    init(batch: @escaping (String) throws -> StoredRows?, chunk: @escaping (String, Int) throws -> String?) {
        loadBatch = batch
        loadChunk = chunk
    }

    /// A version's identity: the one stored with it, else its source row's.
    mutating func identity(stored: String?, batchID: String, ordinal: Int) throws -> JSONObject {
        if let stored { return try JSONParser.parse(stored, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject() }
        return try identity(batchID: batchID, ordinal: ordinal)
    }

    mutating func identity(batchID: String, ordinal: Int) throws -> JSONObject {
        let number = ordinal / StoredChunks.size
        let key = "\(batchID)\u{0}\(number)"
        if chunk?.key != key {
            if batches[batchID] == nil {
                guard let stored = try loadBatch(batchID) else { throw StoredRowError(batchID: batchID, line: nil) }
                batches[batchID] = stored
            }
            guard var stored = batches[batchID], let data = try loadChunk(batchID, number) else {
                throw StoredRowError(batchID: batchID, line: nil)
            }
            stored.chunks = [data]
            chunk = (key, try StoredRowDecoder.items(stored, chunk: 0))
        }
        let items = chunk?.items ?? []
        let index = ordinal % StoredChunks.size
        guard index < items.count else { throw StoredRowError(batchID: batchID, line: nil) }
        switch items[index] {
        case .record(let record): return record.identity
        case .shot(_, let spec): return SpecParts.split(spec).identity
        }
    }
}

extension SourceIdentities {
    /// Identities read through an SQLite transaction's connection.
    init(db: Database) {
        self.init(
            batch: { id in
                try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE id = ?", arguments: [id]).map {
                    StoredRows(batch: try SQLiteStore.batch($0), mapping: try SQLiteStore.mapping($0), chunks: [])
                }
            },
            chunk: { id, number in
                try String.fetchOne(db, sql: "SELECT data FROM batch_chunks WHERE batch_id = ? AND chunk = ?", arguments: [id, number])
            })
    }
}
