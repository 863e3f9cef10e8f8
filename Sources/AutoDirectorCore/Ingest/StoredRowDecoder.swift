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
                let idIndex = batch.header.firstIndex(where: { ScalarText.equal($0, idColumn) }),
                let subjectIndex = batch.header.firstIndex(where: { ScalarText.equal($0, subjectColumn) })
            else { throw StoredRowError(batchID: batch.id, line: nil) }
            // Attributes in canonical key order, so that serializing them needs no sort per row.
            let attributeColumns = batch.header.indices.filter { $0 != idIndex && $0 != subjectIndex }
                .sorted { batch.header[$0].utf16.lexicographicallyPrecedes(batch.header[$1].utf16) }
            return try rows.map { row in
                guard let cells = row.value.arrayValue, cells.count == batch.header.count else {
                    throw StoredRowError(batchID: batch.id, line: row.line)
                }
                var members: [JSONMember] = []
                members.reserveCapacity(attributeColumns.count)
                for index in attributeColumns {
                    if let text = cells[index].stringValue, !text.isEmpty { members.append(JSONMember(batch.header[index], .string(text))) }
                }
                let attributes = JSONObject(uniqueMembers: members)
                return .record(IngestRecord(
                    line: row.line, shotID: cells[idIndex].stringValue ?? "", subject: cells[subjectIndex].stringValue ?? "",
                    attributes: attributes))
            }
        case .jsonArray, .jsonLines:
            return try rows.map { row in
                do {
                    return try StoryboardRecords.item(from: PositionedJSONValue(value: row.value, line: row.line, column: 1), mapping: stored.mapping)
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
