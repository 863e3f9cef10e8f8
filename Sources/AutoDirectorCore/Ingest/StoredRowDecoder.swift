/// Rebuilds ingest items from a batch's stored rows, so planning reads the store, never the
/// original file (which may have moved or changed since).
enum StoredRowDecoder {
    static func items(_ stored: StoredRows, chunk: Int) throws -> [IngestItem] {
        let batch = stored.batch
        let rows = try stored.rows(inChunk: chunk)
        switch batch.format {
        case .csv:
            let (idColumn, subjectColumn) = stored.mapping.resolve(in: batch.header)
            guard let idColumn, let subjectColumn,
                let idIndex = batch.header.firstIndex(of: idColumn), let subjectIndex = batch.header.firstIndex(of: subjectColumn)
            else { throw StoredRowError(batchID: batch.id, line: nil) }
            return try rows.map { row in
                guard let cells = row.value.arrayValue, cells.count == batch.header.count else {
                    throw StoredRowError(batchID: batch.id, line: row.line)
                }
                var attributes = JSONObject()
                for (index, cell) in cells.enumerated() where index != idIndex && index != subjectIndex {
                    if let text = cell.stringValue, !text.isEmpty { attributes[batch.header[index]] = .string(text) }
                }
                return .record(IngestRecord(
                    line: row.line, shotID: cells[idIndex].stringValue ?? "", subject: cells[subjectIndex].stringValue ?? "",
                    attributes: attributes))
            }
        case .jsonArray, .jsonLines:
            return try rows.map { row in
                do {
                    return try StoryboardReader.item(from: PositionedJSONValue(value: row.value, line: row.line, column: 1), mapping: stored.mapping)
                } catch is IngestProblem {
                    throw StoredRowError(batchID: batch.id, line: row.line)
                }
            }
        }
    }
}

struct StoredRowError: Error, CustomStringConvertible {
    var batchID: String
    var line: Int?
    var description: String {
        "The stored rows of batch \(batchID) are damaged\(line.map { " (line \($0))" } ?? ""); ingest the file again into a new project."
    }
}
