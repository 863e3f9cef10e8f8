import Foundation

/// A batch's rows as stored: enough to plan them again without the original file. The chunks
/// stay JSON text here; `rows(inChunk:)` decodes one, so decoding can run on worker threads.
struct StoredRows: Sendable {
    var batch: Batch
    var mapping: ColumnMapping
    var chunks: [String]

    /// The rows of one chunk, in file order: each row's line and the row verbatim.
    func rows(inChunk index: Int) throws -> [(line: Int, value: JSONValue)] {
        try StoredChunks.entries(chunks[index], batchID: batch.id)
    }
}

/// How a batch is kept in either database: its rows verbatim in chunks of a thousand (a JSON
/// array of `[line, row]`, so a 100k-row ingest is a hundred inserts), its header and column
/// mapping as JSON, and an id read from the file name. One format, so that both stores hold the
/// same bytes and `migrate` copies them as they are.
enum StoredChunks {
    static let size = 1000

    /// One chunk as stored: a JSON array of [line, row].
    static func text(_ rows: [IngestedRow]) -> String {
        var sink = ByteSink(capacity: rows.count * 96)
        sink.append(UInt8(ascii: "["))
        for (index, row) in rows.enumerated() {
            if index > 0 { sink.append(UInt8(ascii: ",")) }
            sink.append(UInt8(ascii: "["))
            sink.appendDecimal(UInt64(max(0, row.line)))
            sink.append(UInt8(ascii: ","))
            row.raw.write(into: &sink)
            sink.append(UInt8(ascii: "]"))
        }
        sink.append(UInt8(ascii: "]"))
        return sink.makeString()
    }

    static func entries(_ data: String, batchID: String) throws -> [(line: Int, value: JSONValue)] {
        // Rows were depth-checked at ingest; a chunk wraps each in two more levels.
        guard let entries = try JSONParser.parse(data, maxDepth: JSONDepth.storedLimit).arrayValue else { throw StoredRowError(batchID: batchID, line: nil) }
        return try entries.map { entry in
            guard let pair = entry.arrayValue, pair.count == 2, let line = pair[0].numberValue else {
                throw StoredRowError(batchID: batchID, line: nil)
            }
            return (Int(line), pair[1])
        }
    }

    /// The stored form of a column mapping.
    static func mappingJSON(_ mapping: ColumnMapping) -> String {
        JSONWriter.compact(["shot_id": .string(mapping.shotID), "subject": .string(mapping.subject)])
    }

    static func mapping(fromJSON text: String) throws -> ColumnMapping {
        let json = try JSONParser.parse(text)
        return ColumnMapping(
            shotID: json["shot_id"]?.stringValue ?? ColumnMapping.default.shotID,
            subject: json["subject"]?.stringValue ?? ColumnMapping.default.subject)
    }

    static func headerJSON(_ header: [String]) -> String {
        JSONWriter.compact(.array(header.map { .string($0) }))
    }

    static func header(fromJSON text: String) throws -> [String] {
        try JSONParser.parse(text).arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The ids a batch from `fileName` may take, in order of preference: a readable id from the
    /// file name (`products.csv` → `products`), then numbered (`products-2`, …). Endless.
    static func batchIDs(for fileName: String) -> some Sequence<String> {
        let stem = (fileName as NSString).deletingPathExtension.lowercased()
        var base = String(stem.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (scalar.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" ? c : "-"
        })
        while base.hasPrefix("-") || base.hasPrefix("_") { base.removeFirst() }
        if base.isEmpty { base = "batch" }
        base = String(base.prefix(48))
        let stemID = base
        return sequence(first: (stemID, 1)) { ("\(stemID)-\($0.1 + 1)", $0.1 + 1) }.lazy.map(\.0)
    }
}
