import Foundation

/// Reads a storyboard: a JSON array or JSON Lines of records (the same fields as CSV columns)
/// or of complete shots in internal or structured-prompt mode (SPEC §4).
enum StoryboardReader {
    static func open(url: URL, format: InputFormat, mapping: ColumnMapping) throws -> IngestedFile {
        let file = url.path
        var bytes = [UInt8](try FileInput.read(url))
        let sha256 = SHA256Hex.digest(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw IngestError(file: file, problems: [IngestProblem(line: 1, column: 1, message: "the file is empty; expected a JSON array or JSON Lines of records")])
        }

        var elements: [PositionedJSONValue] = []
        do {
            elements = try StoryboardRecords.elements(bytes, jsonLines: format == .jsonLines)
        } catch let error as JSONParseError {
            throw IngestError(file: file, problems: [IngestProblem(line: error.line, column: error.column, message: error.message)])
        }

        var rows: [IngestedRow] = []
        var problems = ProblemList()
        for element in elements {
            do {
                let item = try StoryboardRecords.item(from: element, mapping: mapping)
                let subject: String
                switch item {
                case .record(let record): subject = record.subject
                case .shot(_, let spec): subject = spec["subject"]?.stringValue ?? item.shotID
                }
                rows.append(IngestedRow(line: item.line, column: element.column, shotID: item.shotID, subject: subject, raw: .json(JSONWriter.compact(element.value))))
            } catch let problem as IngestProblem {
                problems.add(problem)
            }
        }
        var duplicates = DuplicateFinder()
        for row in rows { duplicates.add(row.shotID, line: row.line) }
        duplicates.report(into: &problems)
        if !problems.isEmpty { throw problems.error(file: file) }
        if rows.isEmpty {
            throw IngestError(file: file, problems: [IngestProblem(line: 1, column: 1, message: "the storyboard has no records")])
        }
        // Storyboards are read whole (a JSON array has to be); the rows then stream like CSV rows.
        let chunks = stride(from: 0, to: rows.count, by: StoredChunks.size).map {
            Array(rows[$0..<min(rows.count, $0 + StoredChunks.size)])
        }
        let pipe = ChunkPipe<IngestedRow>.producing { pipe in
            for chunk in chunks where !pipe.send(chunk) { return }
        }
        return IngestedFile(path: url.path, name: url.lastPathComponent, sha256: sha256, format: format, header: [], mapping: mapping, rows: pipe)
    }
}
