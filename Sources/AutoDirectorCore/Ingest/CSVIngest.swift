import Foundation

/// Turns a CSV file (RFC 4180, header required) into ingest rows, collecting every row-level
/// problem; syntax errors (unterminated quote, invalid UTF-8) stop the read at once because
/// nothing after them can be trusted. The header is read at once; the rows stream from a
/// background thread in chunks while the caller stores them.
enum CSVIngest {
    static func open(url: URL, mapping: ColumnMapping, sha256: String) throws -> IngestedFile {
        let file = url.path
        var headerReader = try CSVReader(url: url)
        guard let header = try readRecord(&headerReader, file: file) else {
            throw IngestError(file: file, problems: [IngestProblem(line: 1, column: 1, message: "the file is empty; expected a header row naming the columns")])
        }

        try checkHeader(header, file: file)
        let (idColumn, subjectColumn) = mapping.resolve(in: header.fields)
        var missing: [String] = []
        if idColumn == nil { missing.append(mapping.shotID) }
        if subjectColumn == nil { missing.append(mapping.subject) }
        if !missing.isEmpty {
            let found = header.fields.map { TextSanitizer.quoted($0, limit: 40) }.joined(separator: ", ")
            throw IngestError(file: file, problems: [IngestProblem(
                line: header.line, column: 1,
                message: "line \(header.line) must be a header row with the required column\(missing.count == 1 ? "" : "s") "
                    + missing.map { TextSanitizer.quoted($0) }.joined(separator: ", ") + " (found: \(found)); map other names with --map shot_id=COLUMN")])
        }
        let idIndex = header.fields.firstIndex { ScalarText.equal($0, idColumn!) }!
        let subjectIndex = header.fields.firstIndex { ScalarText.equal($0, subjectColumn!) }!
        let fieldCount = header.fields.count
        let rows = ChunkPipe<IngestedRow>.producing { pipe in
            // A fresh reader past the header: CSVReader is not Sendable, so it lives on this thread.
            var reader = try CSVReader(url: url)
            _ = try readRecord(&reader, file: file)
            var chunk: [IngestedRow] = []
            chunk.reserveCapacity(StoredChunks.size)
            var problems = ProblemList()
            var duplicates = DuplicateFinder(expectedCount: Int(((try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0) / 48))
            var count = 0
            while let record = try readRecord(&reader, file: file), !pipe.isCancelled {
                guard record.fields.count == fieldCount else {
                    // Too many: where the first extra field starts; too few: just past the last one.
                    let column = record.fields.count > fieldCount
                        ? record.columns[fieldCount]
                        : (record.columns.last ?? 1) + (record.fields.last?.unicodeScalars.count ?? 0)
                    problems.add(IngestProblem(
                        line: record.line, column: column,
                        message: "expected \(fieldCount) fields as in the header, found \(record.fields.count)"))
                    continue
                }
                let shotID = record.fields[idIndex]
                if let problem = ShotID.problem(shotID) {
                    problems.add(IngestProblem(line: record.fieldLines[idIndex], column: record.columns[idIndex], message: "invalid \(problem)"))
                    continue
                }
                duplicates.add(shotID, line: record.line, column: record.columns[idIndex])
                count += 1
                // Once the file is known to be invalid, storing more is wasted work: keep reading
                // only to report every problem.
                guard problems.isEmpty else { continue }
                chunk.append(IngestedRow(line: record.line, column: record.columns[idIndex], shotID: shotID, subject: record.fields[subjectIndex], raw: .cells(record.fields)))
                if chunk.count == StoredChunks.size {
                    guard pipe.send(chunk) else { return }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            duplicates.report(into: &problems)
            if !problems.isEmpty { throw problems.error(file: file) }
            if count == 0 {
                throw IngestError(file: file, problems: [IngestProblem(line: header.line, column: 1, message: "the file has a header but no rows")])
            }
            // The batch records the file's hash: the bytes stored must be the bytes hashed.
            if try InputReader.fileSHA256(url) != sha256 {
                throw IngestError(file: file, problems: [IngestProblem(line: nil, message: "the file changed while it was being read; run ingest again")])
            }
            if !chunk.isEmpty { pipe.send(chunk) }
        }
        return IngestedFile(path: url.path, name: url.lastPathComponent, sha256: sha256, format: .csv, header: header.fields, mapping: mapping, rows: rows)
    }

    private static func readRecord(_ reader: inout CSVReader, file: String) throws -> CSVRecord? {
        do { return try reader.next() } catch let error as CSVError {
            throw IngestError(file: file, problems: [IngestProblem(line: error.line, column: error.column, message: error.message)])
        }
    }

    private static func checkHeader(_ header: CSVRecord, file: String) throws {
        var problems = ProblemList()
        var seen: [ScalarKey: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.add(IngestProblem(line: header.fieldLines[index], column: header.columns[index], message: "header column \(index + 1) has no name"))
            } else if let first = seen[ScalarKey(name)] {
                problems.add(IngestProblem(
                    line: header.fieldLines[index], column: header.columns[index],
                    message: "header column \(TextSanitizer.quoted(name)) appears twice (columns \(first + 1) and \(index + 1))"))
            } else {
                seen[ScalarKey(name)] = index
            }
        }
        if !problems.isEmpty { throw problems.error(file: file) }
    }
}
