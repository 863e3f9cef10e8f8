/// RFC 6902 JSON Patch: an ordered list of add/remove/replace/move/copy/test operations.
///
/// Applying is atomic: the patch works on a copy and returns it, so a failing operation leaves the
/// caller's document untouched, as §5 requires. Operations are counted from 0 in error messages,
/// matching their JSON Pointer inside the patch document (`/0`, `/1`, …).
public struct JSONPatch: Sendable {
    public var operations: [JSONPatchOperation]

    public init(operations: [JSONPatchOperation]) {
        self.operations = operations
    }

    /// Reads a patch document. Members other than the ones an operation uses are ignored (§4),
    /// but a missing or mistyped required member, an unknown `op` or a malformed pointer is an error.
    public init(parsing document: JSONValue) throws {
        guard case .array(let elements) = document else {
            throw JSONPatchError(message: "a JSON Patch must be an array of operations, found \(document.kindName)")
        }
        var operations: [JSONPatchOperation] = []
        operations.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            operations.append(try JSONPatchOperation(parsing: element, index: index))
        }
        self.operations = operations
    }

    /// Applies the patch within the standard `PatchLimits`.
    public func apply(to document: JSONValue) throws -> JSONValue {
        var work = PatchWork()
        try work.measure(document)
        return try apply(to: document, work: &work)
    }

    /// Applies the patch, counting its operations and the values it touches against `work`'s
    /// limits (`PatchTooLargeError` once one is crossed). `work` must have measured `document`.
    public func apply(to document: JSONValue, work: inout PatchWork) throws -> JSONValue {
        var result = document
        for (index, operation) in operations.enumerated() {
            try work.operation()
            do {
                try operation.perform(on: &result, work: &work)
            } catch let failure as PatchFailure {
                throw JSONPatchError(
                    operationIndex: index, op: operation.name, path: operation.path.description,
                    message: failure.message)
            }
        }
        return result
    }
}

/// One JSON Patch operation with its pointers already parsed.
public enum JSONPatchOperation: Sendable, Hashable {
    case add(path: JSONPointer, value: JSONValue)
    case remove(path: JSONPointer)
    case replace(path: JSONPointer, value: JSONValue)
    case move(from: JSONPointer, path: JSONPointer)
    case copy(from: JSONPointer, path: JSONPointer)
    case test(path: JSONPointer, value: JSONValue)

    /// The `op` member's value.
    public var name: String {
        switch self {
        case .add: return "add"
        case .remove: return "remove"
        case .replace: return "replace"
        case .move: return "move"
        case .copy: return "copy"
        case .test: return "test"
        }
    }

    /// The `path` member: where the operation acts.
    public var path: JSONPointer {
        switch self {
        case .add(let path, _), .remove(let path), .replace(let path, _), .test(let path, _):
            return path
        case .move(_, let path), .copy(_, let path):
            return path
        }
    }

    /// The operation as a patch document member.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["op"] = .string(name)
        switch self {
        case .add(let path, let value), .replace(let path, let value), .test(let path, let value):
            object["path"] = .string(path.description)
            object["value"] = value
        case .remove(let path):
            object["path"] = .string(path.description)
        case .move(let from, let path), .copy(let from, let path):
            object["from"] = .string(from.description)
            object["path"] = .string(path.description)
        }
        return .object(object)
    }

    init(parsing element: JSONValue, index: Int) throws {
        guard case .object(let object) = element else {
            throw JSONPatchError(
                operationIndex: index, message: "an operation must be an object, found \(element.kindName)")
        }
        guard let opValue = object["op"] else {
            throw JSONPatchError(operationIndex: index, message: "missing \"op\"")
        }
        guard case .string(let op) = opValue else {
            throw JSONPatchError(operationIndex: index, message: "\"op\" must be a string, found \(opValue.kindName)")
        }
        func pointer(_ member: String) throws -> JSONPointer {
            guard let value = object[member] else {
                throw JSONPatchError(operationIndex: index, op: op, message: "missing \"\(member)\"")
            }
            guard case .string(let text) = value else {
                throw JSONPatchError(
                    operationIndex: index, op: op, message: "\"\(member)\" must be a string, found \(value.kindName)")
            }
            do {
                return try JSONPointer(parsing: text)
            } catch let error as JSONPointerError {
                throw JSONPatchError(operationIndex: index, op: op, message: "invalid \"\(member)\": \(error.message)")
            }
        }
        func value() throws -> JSONValue {
            guard let value = object["value"] else {
                throw JSONPatchError(operationIndex: index, op: op, message: "missing \"value\"")
            }
            return value
        }
        switch op {
        case "add": self = .add(path: try pointer("path"), value: try value())
        case "remove": self = .remove(path: try pointer("path"))
        case "replace": self = .replace(path: try pointer("path"), value: try value())
        case "move": self = .move(from: try pointer("from"), path: try pointer("path"))
        case "copy": self = .copy(from: try pointer("from"), path: try pointer("path"))
        case "test": self = .test(path: try pointer("path"), value: try value())
        default:
            throw JSONPatchError(operationIndex: index, message: "unknown op \"\(op)\"")
        }
    }

    /// Performs the operation, keeping `work`'s count of the document's values current: what
    /// it adds is sized (and its depth checked) before it is added, so a copy that would double
    /// the document past the limit is refused without being made.
    fileprivate func perform(on document: inout JSONValue, work: inout PatchWork) throws {
        switch self {
        case .add(let path, let value):
            let added = try work.size(of: value, placedAt: path.tokens.count)
            try work.resize(removing: try Self.sizeReplaced(byAdding: path, in: document, work: &work), adding: added)
            try Self.add(value, at: path, in: &document)
        case .remove(let path):
            let removed = try document.resolve(path).map { try work.size(of: $0) } ?? 0
            _ = try Self.remove(at: path, in: &document)
            try work.resize(removing: removed, adding: 0)
        case .replace(let path, let value):
            let added = try work.size(of: value, placedAt: path.tokens.count)
            let replaced = try document.resolve(path).map { try work.size(of: $0) } ?? 0
            try work.resize(removing: replaced, adding: added)
            try Self.replace(at: path, with: value, in: &document)
        case .move(let from, let path):
            if from == path {
                guard document.resolve(from) != nil else {
                    throw PatchFailure("from location \(Self.display(from)) does not exist")
                }
                return
            }
            if path.hasPrefix(from) {
                throw PatchFailure("cannot move \(Self.display(from)) into one of its own children")
            }
            let value = try Self.remove(at: from, in: &document, role: .from)
            // Sized at its new place: moving a subtree deeper must not take it past the depth limit.
            let moved = try work.size(of: value, placedAt: path.tokens.count)
            let replaced = try Self.sizeReplaced(byAdding: path, in: document, work: &work)
            try work.resize(removing: moved + replaced, adding: moved)
            try Self.add(value, at: path, in: &document)
        case .copy(let from, let path):
            guard let value = document.resolve(from) else {
                throw PatchFailure("from location \(Self.display(from)) does not exist")
            }
            let added = try work.size(of: value, placedAt: path.tokens.count)
            try work.resize(removing: try Self.sizeReplaced(byAdding: path, in: document, work: &work), adding: added)
            try Self.add(value, at: path, in: &document)
        case .test(let path, let expected):
            // Comparing costs about as much as the expected value is large.
            _ = try work.size(of: expected)
            guard let actual = document.resolve(path) else { throw PatchFailure("path does not exist") }
            guard actual == expected else {
                throw PatchFailure("test failed: found \(Self.excerpt(actual)), expected \(Self.excerpt(expected))")
            }
        }
    }

    /// The size of what an `add` at `path` replaces: the whole document at the root, an existing
    /// member of an object; nothing in an array, where `add` inserts.
    private static func sizeReplaced(byAdding path: JSONPointer, in document: JSONValue, work: inout PatchWork) throws -> Int {
        guard let parent = path.parent, let token = path.tokens.last else { return work.values }
        guard case .object(let object)? = document.resolve(parent), let old = object[token] else { return 0 }
        return try work.size(of: old)
    }

    private static func add(_ value: JSONValue, at path: JSONPointer, in document: inout JSONValue) throws {
        guard !path.tokens.isEmpty else {
            document = value
            return
        }
        try withParent(of: path, in: &document) { parent, token in
            switch parent {
            case .object(var object):
                // The bound input objects have (`JSONObject.maxMembers`): lookups are linear.
                if object.count >= JSONObject.maxMembers, object.index(of: token) == nil {
                    throw PatchFailure("\(display(path.parent ?? path)) already has \(JSONObject.maxMembers) members, the most an object may have")
                }
                parent = .null
                object[token] = value
                parent = .object(object)
            case .array(var elements):
                let position: Int
                if token == "-" {
                    position = elements.count
                } else {
                    position = try index(token, in: elements, allowingEnd: true)
                }
                parent = .null
                elements.insert(value, at: position)
                parent = .array(elements)
            default:
                throw PatchFailure("cannot add to \(display(path.parent ?? path)), which is a \(parent.kindName)")
            }
        }
    }

    private static func remove(
        at path: JSONPointer, in document: inout JSONValue, role: Role = .path
    ) throws -> JSONValue {
        guard !path.tokens.isEmpty else { throw PatchFailure("cannot remove the whole document") }
        return try withParent(of: path, in: &document, role: role) { parent, token in
            switch parent {
            case .object(var object):
                parent = .null
                defer { parent = .object(object) }
                guard let removed = object.removeValue(forKey: token) else {
                    throw PatchFailure(
                        role == .path ? "path does not exist" : "\(role.rawValue) \(display(path)) does not exist")
                }
                return removed
            case .array(var elements):
                let position = try index(token, in: elements, allowingEnd: false)
                parent = .null
                defer { parent = .array(elements) }
                return elements.remove(at: position)
            default:
                throw PatchFailure(
                    "\(role.rawValue) does not exist: \(display(path.parent ?? path)) is a \(parent.kindName)")
            }
        }
    }

    private static func replace(at path: JSONPointer, with value: JSONValue, in document: inout JSONValue) throws {
        guard !path.tokens.isEmpty else {
            document = value
            return
        }
        try withParent(of: path, in: &document) { parent, token in
            switch parent {
            case .object(var object):
                guard object[token] != nil else { throw PatchFailure("path does not exist") }
                parent = .null
                object[token] = value
                parent = .object(object)
            case .array(var elements):
                let position = try index(token, in: elements, allowingEnd: false)
                parent = .null
                elements[position] = value
                parent = .array(elements)
            default:
                throw PatchFailure("path does not exist: \(display(path.parent ?? path)) is a \(parent.kindName)")
            }
        }
    }

    /// Which pointer of the operation a failure is about, as error messages name it.
    private enum Role: String {
        case path
        case from = "from location"
    }

    /// Walks to the container that holds the last token of `path` and lets `body` change it in
    /// place. Each container on the way is taken out of its parent while `body` runs so that it
    /// is uniquely referenced and edited without copying.
    private static func withParent<Result>(
        of path: JSONPointer, in document: inout JSONValue, role: Role = .path,
        _ body: (inout JSONValue, String) throws -> Result
    ) throws -> Result {
        try descend(path.tokens[...], walked: 0, path: path, role: role, in: &document, body)
    }

    private static func descend<Result>(
        _ tokens: ArraySlice<String>, walked: Int, path: JSONPointer, role: Role, in value: inout JSONValue,
        _ body: (inout JSONValue, String) throws -> Result
    ) throws -> Result {
        let token = tokens[tokens.startIndex]
        if tokens.count == 1 { return try body(&value, token) }
        let rest = tokens.dropFirst()
        let container = JSONPointer(tokens: Array(path.tokens[..<walked]))
        switch value {
        case .object(var object):
            guard var child = object[token] else {
                throw PatchFailure("\(role.rawValue) does not exist: nothing at \(display(container.appending(token)))")
            }
            value = .null
            object[token] = .null
            defer {
                object[token] = child
                value = .object(object)
            }
            return try descend(rest, walked: walked + 1, path: path, role: role, in: &child, body)
        case .array(var elements):
            let position = try index(token, in: elements, allowingEnd: false)
            var child = elements[position]
            value = .null
            elements[position] = .null
            defer {
                elements[position] = child
                value = .array(elements)
            }
            return try descend(rest, walked: walked + 1, path: path, role: role, in: &child, body)
        default:
            throw PatchFailure("\(role.rawValue) does not exist: \(display(container)) is a \(value.kindName)")
        }
    }

    /// Reads an array index token (RFC 6901: digits, no leading zeros). `allowingEnd` permits
    /// the position just past the last element, where `add` inserts.
    private static func index(_ token: String, in elements: [JSONValue], allowingEnd: Bool) throws -> Int {
        if token == "-" {
            throw PatchFailure("\"-\" (past the end of the array) can only be the target of add")
        }
        guard let position = JSONPointer.arrayIndex(token) else {
            throw PatchFailure("\"\(token)\" is not a valid array index")
        }
        let limit = allowingEnd ? elements.count : elements.count - 1
        guard position <= limit else {
            let noun = elements.count == 1 ? "element" : "elements"
            throw PatchFailure("index \(position) is out of bounds for an array of \(elements.count) \(noun)")
        }
        return position
    }

    private static func display(_ pointer: JSONPointer) -> String {
        pointer.tokens.isEmpty ? "\"\" (the whole document)" : pointer.description
    }

    /// A value for an error message, cut short so one huge subtree does not swamp the message.
    private static func excerpt(_ value: JSONValue) -> String {
        let text = JSONWriter.compact(value)
        return text.count <= 80 ? text : String(text.prefix(77)) + "..."
    }
}

/// Why a patch could not be read or applied. `operationIndex` counts from 0; `op` and `path` are
/// the failing operation's `op` and encoded `path` when they were readable.
public struct JSONPatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operationIndex: Int?
    public var op: String?
    public var path: String?
    public var message: String

    public init(operationIndex: Int? = nil, op: String? = nil, path: String? = nil, message: String) {
        self.operationIndex = operationIndex
        self.op = op
        self.path = path
        self.message = message
    }

    /// For example `operation 2 (replace /camera/fov): path does not exist`.
    public var description: String {
        guard let operationIndex else { return message }
        var subject = ""
        if let op {
            subject = op
            if let path { subject += " " + (path.isEmpty ? "\"\"" : path) }
        }
        return subject.isEmpty
            ? "operation \(operationIndex): \(message)"
            : "operation \(operationIndex) (\(subject)): \(message)"
    }
}

/// A failure inside one operation; `JSONPatch.apply` adds which operation it was.
private struct PatchFailure: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}

extension JSONValue {
    /// The value at `pointer`, or nil; shorthand for `pointer.resolve(in:)`.
    func resolve(_ pointer: JSONPointer) -> JSONValue? {
        pointer.resolve(in: self)
    }
}
