/// One patch to a shot spec, in any of the three forms of SPEC §9.
public enum ShotPatch: Sendable, Equatable {
    /// RFC 7386 merge patch: `{"camera":{"fov":60}}`.
    case merge(JSONValue)
    /// RFC 6902 JSON Patch: `[{"op":"replace","path":"/camera/fov","value":60}]`.
    case jsonPatch(JSONValue)
    /// Dotted assignments: `camera.fov=60 lighting.key_light.intensity=0.6`.
    case assignments([DottedAssignment])

    /// Applies the patch within `work`'s limits. A merge patch counts as one operation and each
    /// dotted assignment as one; the caller sizes the result of those (`PatchWork.measure`), since
    /// they cannot grow a document past the size of their own text.
    func apply(to spec: JSONValue, work: inout PatchWork) throws -> JSONValue {
        switch self {
        case .merge(let patch):
            try work.operation()
            return MergePatch.apply(patch, to: spec)
        case .jsonPatch(let operations):
            return try JSONPatch(parsing: operations).apply(to: spec, work: &work)
        case .assignments(let list):
            var result = spec
            for assignment in list {
                try work.operation()
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
    /// The form of one patch argument (SPEC §9, §13).
    enum Form {
        case merge, jsonPatch, assignment

        /// `{` starts a merge patch; `[` followed by `{` or `]` a JSON Patch (an array of
        /// operation objects); anything else with `=` — `["odd.key"].x=1` included — is a dotted
        /// assignment.
        init(of trimmed: String) {
            let bytes = trimmed.utf8
            guard let first = bytes.first else { self = .assignment; return }
            if first == UInt8(ascii: "{") { self = .merge; return }
            guard first == UInt8(ascii: "[") else { self = .assignment; return }
            let next = bytes.dropFirst().first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
            if next == nil || next == UInt8(ascii: "{") || next == UInt8(ascii: "]") || !trimmed.contains("=") {
                self = .jsonPatch
            } else {
                self = .assignment
            }
        }
    }

    /// Recognises each argument by its form (`Form`); consecutive assignments form one patch.
    /// `source` names where the arguments came from (a file) in error messages.
    public static func parse(arguments: [String], source: String? = nil) throws -> [ShotPatch] {
        var patches: [ShotPatch] = []
        var pending: [DottedAssignment] = []
        func flush() {
            if !pending.isEmpty { patches.append(.assignments(pending)) }
            pending = []
        }
        func located(_ message: String) -> PatchParseError {
            guard let source else { return PatchParseError(message: message) }
            return PatchParseError(message: "In the patch file \(TextSanitizer.quoted(source, limit: 200)), " + message.prefix(1).lowercased() + message.dropFirst())
        }
        for argument in arguments {
            let trimmed = argument.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let form = Form(of: trimmed)
            if form == .assignment {
                do { pending.append(try DottedAssignment(parsing: trimmed)) } catch let error as PatchParseError {
                    throw located(error.message)
                } catch let error as DottedPath.ParseError {
                    throw located("The dotted assignment has an \(error.description).")
                }
                continue
            }
            flush()
            let name = form == .merge ? "merge patch" : "JSON Patch"
            let value: JSONValue
            do { value = try JSONParser.parse(trimmed) } catch let error as JSONParseError {
                throw located("The \(name) is not valid JSON: \(error).")
            }
            if form == .jsonPatch {
                do { _ = try JSONPatch(parsing: value) } catch let error as JSONPatchError {
                    throw located("The \(name) cannot be read: \(error).")
                }
                patches.append(.jsonPatch(value))
            } else {
                patches.append(.merge(value))
            }
        }
        flush()
        return patches
    }

    /// A patch file: a merge patch, a JSON Patch, or dotted assignments one per line
    /// (blank lines and `#` comments ignored). `name` (the file's path) is named in errors.
    public static func parse(fileText: String, name: String? = nil) throws -> [ShotPatch] {
        let trimmed = fileText.trimmingCharacters(in: .whitespacesAndNewlines)
        if Form(of: trimmed) != .assignment { return try parse(arguments: [trimmed], source: name) }
        let lines = trimmed.split(whereSeparator: \.isNewline).map(String.init).filter {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return !line.isEmpty && !line.hasPrefix("#")
        }
        return try parse(arguments: lines, source: name)
    }
}
