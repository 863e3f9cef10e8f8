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
            elements = format == .jsonArray ? try JSONParser.parseArrayElements(bytes) : try jsonLines(bytes)
        } catch let error as JSONParseError {
            throw IngestError(file: file, problems: [IngestProblem(line: error.line, column: error.column, message: error.message)])
        }

        var rows: [IngestedRow] = []
        var problems = ProblemList()
        for element in elements {
            do {
                let item = try item(from: element, mapping: mapping)
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
        let chunks = stride(from: 0, to: rows.count, by: ProjectStore.chunkSize).map {
            Array(rows[$0..<min(rows.count, $0 + ProjectStore.chunkSize)])
        }
        let pipe = ChunkPipe<IngestedRow>.producing { pipe in
            for chunk in chunks where !pipe.send(chunk) { return }
        }
        return IngestedFile(path: url.path, name: url.lastPathComponent, sha256: sha256, format: format, header: [], mapping: mapping, rows: pipe)
    }

    /// One JSON value per non-blank line; a parse error is reported at its line in the file.
    private static func jsonLines(_ bytes: [UInt8]) throws -> [PositionedJSONValue] {
        var values: [PositionedJSONValue] = []
        var line = 1
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var slice = Array(bytes[start..<end])
            if slice.last == 0x0D { slice.removeLast() }
            if !slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                do {
                    values.append(PositionedJSONValue(value: try JSONParser.parse(slice), line: line, column: 1))
                } catch var error as JSONParseError {
                    error.line = line
                    throw error
                }
            }
            line += 1
            start = end + 1
        }
        return values
    }

    static func item(from element: PositionedJSONValue, mapping: ColumnMapping) throws -> IngestItem {
        func problem(_ message: String) -> IngestProblem {
            IngestProblem(line: element.line, column: element.column, message: message)
        }
        guard var object = element.value.objectValue else {
            throw problem("each record must be a JSON object (got \(element.value.kindName))")
        }
        if object["camera"] != nil || object["structured_prompt"] != nil {
            return try completeShot(&object, problem: problem, line: element.line)
        }

        let header = object.keys
        let (idKey, subjectKey) = mapping.resolve(in: header)
        guard let idKey, let shotID = object[idKey]?.stringValue else {
            throw problem("record has no \(TextSanitizer.quoted(mapping.shotID)) string field (map another with --map shot_id=FIELD)")
        }
        if let reason = ShotID.problem(shotID) { throw problem("invalid \(reason)") }
        guard let subjectKey, let subject = object[subjectKey]?.stringValue else {
            throw problem("record \(shotID) has no \(TextSanitizer.quoted(mapping.subject)) string field (map another with --map subject=FIELD)")
        }
        var attributes = JSONObject()
        for member in object where member.key != idKey && member.key != subjectKey {
            switch member.value {
            case .string(let text) where !text.isEmpty: attributes[member.key] = .string(text)
            case .string, .null: continue
            case .number(let number): attributes[member.key] = .string(CanonicalJSON.formatNumber(number))
            case .bool(let flag): attributes[member.key] = .string(flag ? "true" : "false")
            case .array, .object:
                throw problem("record \(shotID): field \(TextSanitizer.quoted(member.key)) must be a string, number or boolean")
            }
        }
        return .record(IngestRecord(line: element.line, shotID: shotID, subject: subject, attributes: attributes))
    }

    private static func completeShot(
        _ object: inout JSONObject, problem: (String) -> IngestProblem, line: Int
    ) throws -> IngestItem {
        for key in SpecValidator.volatileFields { object.removeValue(forKey: key) }
        if let text = object["structured_prompt"]?.stringValue {
            do {
                object["structured_prompt"] = try JSONParser.parse(text)
            } catch let error as JSONParseError {
                throw problem("structured_prompt is a string but not valid JSON (\(error))")
            }
        }
        let violations = SpecValidator.violations(of: object)
        if !violations.isEmpty {
            let id = object["shot_id"]?.stringValue.map { "shot \(TextSanitizer.quoted($0))" } ?? "shot"
            throw problem("\(id) is invalid: " + violations.map(\.description).joined(separator: "; "))
        }
        return .shot(line: line, spec: object)
    }
}

extension IngestProblem: Error {}
