/// Dotted paths as people type them: `camera.fov`, `color.palette[1]` or `color.palette.1`,
/// `["odd.key"].x` for keys that contain dots or brackets.
///
/// Parsing is one pass over the text, and a path is bounded (`maxLength` bytes, `JSONDepth.limit`
/// segments), so setting it recurses at most that deep: a hostile path is refused up front
/// instead of growing a spec that could not be stored.
public enum DottedPath {
    /// The longest path accepted, in UTF-8 bytes.
    public static let maxLength = 4096

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "invalid path \(TextSanitizer.quoted(path)): \(message)" }
    }

    public static func parse(_ text: String) throws -> [JSONPathComponent] {
        func fail(_ message: String) -> ParseError { ParseError(path: text, message: message) }
        guard text.utf8.count <= maxLength else {
            throw fail("is \(text.utf8.count) bytes long; a path may be at most \(maxLength)")
        }
        var components: [JSONPathComponent] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        var current = ""
        var expectSegment = true
        func tooDeep() -> ParseError { fail("has more than \(JSONDepth.limit) segments; a spec nests at most \(JSONDepth.limit) levels") }
        func flush() throws {
            if !current.isEmpty {
                components.append(.key(current))
                current = ""
            } else if expectSegment {
                throw fail("empty segment")
            }
        }
        guard !chars.isEmpty else { throw fail("empty path") }
        while i < chars.count {
            if components.count > JSONDepth.limit { throw tooDeep() }
            let c = chars[i]
            if c == "." {
                try flush()
                expectSegment = true
                i += 1
            } else if c == "[" {
                if !current.isEmpty { try flush() }
                i += 1
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    var key = ""
                    while i < chars.count, chars[i] != "\"" {
                        if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                        key.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    guard i + 1 < chars.count, chars[i] == "\"", chars[i + 1] == "]" else { throw fail("unterminated [\"key\"]") }
                    components.append(.key(key))
                    i += 2
                } else {
                    var digits = ""
                    while i < chars.count, chars[i] != "]" {
                        digits.unicodeScalars.append(chars[i])
                        i += 1
                    }
                    guard i < chars.count, let index = Int(digits), index >= 0 else { throw fail("an index must be [N] with N ≥ 0") }
                    components.append(.index(index))
                    i += 1
                }
                expectSegment = false
            } else {
                current.unicodeScalars.append(c)
                expectSegment = false
                i += 1
            }
        }
        if !current.isEmpty || expectSegment { try flush() }
        if components.count > JSONDepth.limit { throw tooDeep() }
        return components
    }

    public struct SetError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "cannot set \(path): \(message)" }
    }

    /// Returns `root` with `value` at `path`, creating missing objects on the way. A numeric key
    /// addresses an array element; an index equal to the array's length appends.
    public static func setting(_ value: JSONValue, at path: [JSONPathComponent], in root: JSONValue) throws -> JSONValue {
        try set(value, at: path[...], in: root, fullPath: path)
    }

    private static func set(
        _ value: JSONValue, at path: ArraySlice<JSONPathComponent>, in node: JSONValue, fullPath: [JSONPathComponent]
    ) throws -> JSONValue {
        guard let head = path.first else { return value }
        let rest = path.dropFirst()
        // Built only for an error: building it at every level made long paths quadratic.
        var shown: String { TextSanitizer.visible(JSONDiff.dottedPath(fullPath), limit: 120) }
        switch (node, head) {
        case (.array(var array), _):
            guard let index = arrayIndex(head) else { throw SetError(path: shown, message: "an array needs a numeric index") }
            if index < array.count {
                array[index] = try set(value, at: rest, in: array[index], fullPath: fullPath)
            } else if index == array.count {
                array.append(try set(value, at: rest, in: .object(JSONObject()), fullPath: fullPath))
            } else {
                throw SetError(path: shown, message: "index \(index) is past the end of an array of \(array.count)")
            }
            return .array(array)
        case (.object(var object), .key(let key)):
            let child = object[key] ?? .object(JSONObject())
            object[key] = try set(value, at: rest, in: child, fullPath: fullPath)
            return .object(object)
        case (.object, .index(let index)):
            throw SetError(path: shown, message: "[\(index)] indexes an object, not an array")
        default:
            throw SetError(path: shown, message: "\(node.kindName) has no fields")
        }
    }

    private static func arrayIndex(_ component: JSONPathComponent) -> Int? {
        switch component {
        case .index(let index): return index
        case .key(let key):
            guard !key.isEmpty, key.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), key.count < 10 else { return nil }
            return Int(key)
        }
    }

    /// The value at `path`, or nil.
    public static func value(at path: [JSONPathComponent], in root: JSONValue) -> JSONValue? {
        var node = root
        for component in path {
            switch (node, component) {
            case (.object(let object), .key(let key)):
                guard let child = object[key] else { return nil }
                node = child
            case (.array(let array), _):
                guard let index = arrayIndex(component), index < array.count else { return nil }
                node = array[index]
            default:
                return nil
            }
        }
        return node
    }
}
