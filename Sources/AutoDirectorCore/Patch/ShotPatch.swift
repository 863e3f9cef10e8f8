/// One patch to a shot spec, in any of the three forms of SPEC §9.
public enum ShotPatch: Sendable, Equatable {
    /// RFC 7386 merge patch: `{"camera":{"fov":60}}`.
    case merge(JSONValue)
    /// RFC 6902 JSON Patch: `[{"op":"replace","path":"/camera/fov","value":60}]`.
    case jsonPatch(JSONValue)
    /// Dotted assignments: `camera.fov=60 lighting.key_light.intensity=0.6`.
    case assignments([DottedAssignment])

    /// Whether the patch sets the seed itself; otherwise the seed is derived again (SPEC §2).
    var setsSeed: Bool {
        switch self {
        case .merge(let patch): return patch["seed"] != nil
        case .jsonPatch(let operations):
            // `test` reads the seed; only operations that write it set it.
            return operations.arrayValue?.contains { op in
                guard let name = op["op"]?.stringValue, ["add", "remove", "replace", "move", "copy"].contains(name) else { return false }
                return op["path"]?.stringValue == "/seed" || (name == "move" && op["from"]?.stringValue == "/seed")
            } ?? false
        case .assignments(let list): return list.contains { $0.path == [.key("seed")] }
        }
    }

    func apply(to spec: JSONValue) throws -> JSONValue {
        switch self {
        case .merge(let patch):
            return MergePatch.apply(patch, to: spec)
        case .jsonPatch(let operations):
            return try JSONPatch(parsing: operations).apply(to: spec)
        case .assignments(let list):
            var result = spec
            for assignment in list {
                result = try DottedPath.setting(assignment.value, at: assignment.path, in: result)
            }
            return result
        }
    }
}

/// `path=value`, the value read as JSON when it parses, else as a plain string (so
/// `subject=Red Mug` works without quotes).
public struct DottedAssignment: Sendable, Equatable {
    public var path: [JSONPathComponent]
    public var value: JSONValue

    public init(path: [JSONPathComponent], value: JSONValue) {
        self.path = path
        self.value = value
    }

    public init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "=") else {
            throw PatchParseError(
                message: "A patch argument must be {…}, […] or path=value (got \(TextSanitizer.quoted(text))); quote values with spaces, e.g. 'subject=Red Mug'.")
        }
        let pathText = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let valueText = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        path = try DottedPath.parse(pathText)
        value = (try? JSONParser.parse(valueText)) ?? .string(valueText)
    }
}

public struct PatchParseError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension ShotPatch {
    /// Recognises each argument by its form (SPEC §13): `{` merge patch, `[` JSON Patch,
    /// `path=value` dotted assignment; consecutive assignments form one patch.
    public static func parse(arguments: [String]) throws -> [ShotPatch] {
        var patches: [ShotPatch] = []
        var pending: [DottedAssignment] = []
        func flush() {
            if !pending.isEmpty { patches.append(.assignments(pending)) }
            pending = []
        }
        for argument in arguments {
            let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
                flush()
                let value: JSONValue
                do { value = try JSONParser.parse(trimmed) } catch let error as JSONParseError {
                    let form = trimmed.hasPrefix("{") ? "merge patch" : "JSON Patch"
                    throw PatchParseError(message: "The \(form) is not valid JSON: \(error).")
                }
                if trimmed.hasPrefix("[") {
                    _ = try JSONPatch(parsing: value)
                    patches.append(.jsonPatch(value))
                } else {
                    patches.append(.merge(value))
                }
            } else if !trimmed.isEmpty {
                pending.append(try DottedAssignment(parsing: trimmed))
            }
        }
        flush()
        return patches
    }

    /// A patch file: a merge patch, a JSON Patch, or dotted assignments one per line
    /// (blank lines and `#` comments ignored).
    public static func parse(fileText: String) throws -> [ShotPatch] {
        let trimmed = fileText.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return try parse(arguments: [trimmed]) }
        let lines = trimmed.split(whereSeparator: \.isNewline).map(String.init).filter {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return !line.isEmpty && !line.hasPrefix("#")
        }
        return try parse(arguments: lines)
    }
}
