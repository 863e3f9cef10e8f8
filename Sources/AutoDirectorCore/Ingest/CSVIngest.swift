import Foundation

/// Turns a CSV file (RFC 4180, header required) into ingest rows, collecting every row-level
/// problem; syntax errors (unterminated quote, invalid UTF-8) stop the read at once because
/// nothing after them can be trusted.
enum CSVIngest {
    static func read(url: URL, mapping: ColumnMapping) throws -> IngestedFile {
        let file = url.path
        var reader = try CSVReader(url: url)
        func next() throws -> CSVRecord? {
            do { return try reader.next() } catch let error as CSVError {
                throw IngestError(file: file, problems: [IngestProblem(line: error.line, column: error.column, message: error.message)])
            }
        }

        guard let header = try next() else {
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
        let idIndex = header.fields.firstIndex(of: idColumn!)!
        let subjectIndex = header.fields.firstIndex(of: subjectColumn!)!
        var rows: [IngestedRow] = []
        var problems = ProblemList()
        while let record = try next() {
            guard record.fields.count == header.fields.count else {
                let column = record.fields.count > header.fields.count ? record.columns[header.fields.count] : nil
                problems.add(IngestProblem(
                    line: record.line, column: column,
                    message: "expected \(header.fields.count) fields as in the header, found \(record.fields.count)"))
                continue
            }
            let shotID = record.fields[idIndex]
            if let problem = ShotID.problem(shotID) {
                problems.add(IngestProblem(line: record.fieldLines[idIndex], column: record.columns[idIndex], message: "invalid \(problem)"))
                continue
            }
            rows.append(IngestedRow(line: record.line, shotID: shotID, subject: record.fields[subjectIndex], raw: .cells(record.fields)))
        }
        if !problems.isEmpty { throw problems.error(file: file) }
        if rows.isEmpty {
            throw IngestError(file: file, problems: [IngestProblem(line: header.line, message: "the file has a header but no rows")])
        }
        return IngestedFile(name: url.lastPathComponent, sha256: "", format: .csv, header: header.fields, mapping: mapping, rows: rows)
    }

    private static func checkHeader(_ header: CSVRecord, file: String) throws {
        var problems = ProblemList()
        var seen: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.add(IngestProblem(line: header.fieldLines[index], column: header.columns[index], message: "header column \(index + 1) has no name"))
            } else if let first = seen[name] {
                problems.add(IngestProblem(
                    line: header.fieldLines[index], column: header.columns[index],
                    message: "header column \(TextSanitizer.quoted(name)) appears twice (columns \(first + 1) and \(index + 1))"))
            } else {
                seen[name] = index
            }
        }
        if !problems.isEmpty { throw problems.error(file: file) }
    }
}
