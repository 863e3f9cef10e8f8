/// The records of a storyboard, from its bytes: JSON values with their positions, each read as
/// a record (CSV-like fields) or a complete shot. Pure, so it can be tested and fuzzed without a
/// file or a store (`StoryboardReader` does the file's part).
enum StoryboardRecords {
    /// The top-level values of a JSON array, or one per non-blank line of JSON Lines.
    static func elements(_ bytes: [UInt8], jsonLines: Bool) throws -> [PositionedJSONValue] {
        jsonLines ? try self.jsonLines(bytes) : try JSONParser.parseArrayElements(bytes)
    }

    /// One JSON value per non-blank line; a parse error is reported at its line in the file.
    static func jsonLines(_ bytes: [UInt8]) throws -> [PositionedJSONValue] {
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
