/// A structural diff between two JSON values, for showing what a patch or a re-plan changed in a
/// spec (`camera.fov: 45 → 50`).
///
/// Objects are compared member by member, visiting keys in UTF-16 order of the union of both
/// key sets so that the output does not depend on member order. Arrays are compared position by
/// position, then the surplus elements of the longer one are reported as added or removed.
/// Anything else that differs, including a change of type, is a single `changed` entry.
public enum JSONDiff {
    public static func changes(from old: JSONValue, to new: JSONValue) -> [JSONChange] {
        var changes: [JSONChange] = []
        var path: [JSONPathComponent] = []
        collect(from: old, to: new, path: &path, into: &changes)
        return changes
    }

    /// A readable path: `camera.fov`, `color.palette[1]`; keys that are not plain identifiers
    /// (anything beyond `A–Z a–z 0–9 _ -`, or empty) are written as quoted JSON strings in
    /// brackets, e.g. `["a.b"]`. The root is the empty string.
    public static func dottedPath(_ path: [JSONPathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key):
                if isPlainKey(key) {
                    if !text.isEmpty { text += "." }
                    text += key
                } else {
                    text += "[" + JSONTextEncoding.quoted(key) + "]"
                }
            case .index(let position):
                text += "[\(position)]"
            }
        }
        return text
    }

    private static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    private static func collect(
        from old: JSONValue, to new: JSONValue, path: inout [JSONPathComponent], into changes: inout [JSONChange]
    ) {
        switch (old, new) {
        case (.object(let oldObject), .object(let newObject)):
            guard oldObject != newObject else { return }
            // Looked up once per key of both: linear lookups made a 10,000-member object cost
            // 10^8 key comparisons (a minute in a debug build, the TUI's Diff tab waiting on it).
            let (oldMembers, newMembers) = (MemberIndex(oldObject), MemberIndex(newObject))
            var keys = oldObject.keys
            for key in newObject.keys where oldMembers[key] == nil { keys.append(key) }
            for key in JSONKeyOrder.sortedKeys(keys) {
                path.append(.key(key))
                switch (oldMembers[key], newMembers[key]) {
                case (let oldValue?, let newValue?):
                    collect(from: oldValue, to: newValue, path: &path, into: &changes)
                case (let oldValue?, nil):
                    changes.append(JSONChange(path: path, kind: .removed, oldValue: oldValue, newValue: nil))
                case (nil, let newValue?):
                    changes.append(JSONChange(path: path, kind: .added, oldValue: nil, newValue: newValue))
                case (nil, nil):
                    break
                }
                path.removeLast()
            }
        case (.array(let oldElements), .array(let newElements)):
            guard oldElements != newElements else { return }
            for position in 0..<max(oldElements.count, newElements.count) {
                path.append(.index(position))
                if position >= newElements.count {
                    changes.append(
                        JSONChange(path: path, kind: .removed, oldValue: oldElements[position], newValue: nil))
                } else if position >= oldElements.count {
                    changes.append(JSONChange(path: path, kind: .added, oldValue: nil, newValue: newElements[position]))
                } else {
                    collect(from: oldElements[position], to: newElements[position], path: &path, into: &changes)
                }
                path.removeLast()
            }
        default:
            if old != new {
                changes.append(JSONChange(path: path, kind: .changed, oldValue: old, newValue: new))
            }
        }
    }
}

public enum JSONChangeKind: String, Sendable {
    case added
    case removed
    case changed
}

/// One step of a path into a JSON value.
public enum JSONPathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)

    public static func == (lhs: JSONPathComponent, rhs: JSONPathComponent) -> Bool {
        switch (lhs, rhs) {
        case (.key(let a), .key(let b)): return ScalarText.equal(a, b)
        case (.index(let a), .index(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .key(let key): hasher.combine(0); ScalarText.hash(key, into: &hasher)
        case .index(let index): hasher.combine(1); hasher.combine(index)
        }
    }
}

/// One difference: the value at `path` was added (`newValue` only), removed (`oldValue` only) or
/// changed (both).
public struct JSONChange: Sendable, Equatable {
    public var path: [JSONPathComponent]
    public var kind: JSONChangeKind
    public var oldValue: JSONValue?
    public var newValue: JSONValue?

    public init(path: [JSONPathComponent], kind: JSONChangeKind, oldValue: JSONValue?, newValue: JSONValue?) {
        self.path = path
        self.kind = kind
        self.oldValue = oldValue
        self.newValue = newValue
    }

    /// See `JSONDiff.dottedPath`.
    public var dottedPath: String { JSONDiff.dottedPath(path) }

    /// The same location as an RFC 6901 pointer, e.g. to build a patch from the diff.
    public var pointer: JSONPointer {
        JSONPointer(tokens: path.map { component in
            switch component {
            case .key(let key): return key
            case .index(let position): return String(position)
            }
        })
    }
}

/// An object's values by key, hashed when the object is large enough for linear lookups to
/// add up. Keys match as `JSONObject`'s do: scalar for scalar (`ScalarText.equal`), never by
/// Unicode canonical equivalence, so "é" and "e\u{301}" stay two keys.
private struct MemberIndex {
    private struct Key: Hashable {
        let text: String
        static func == (lhs: Key, rhs: Key) -> Bool { ScalarText.equal(lhs.text, rhs.text) }
        func hash(into hasher: inout Hasher) {
            for byte in text.utf8 { hasher.combine(byte) }
        }
    }

    /// Below this many members a linear lookup is cheaper than hashing.
    static let hashedFrom = 32

    private let object: JSONObject
    private let hashed: [Key: JSONValue]?

    init(_ object: JSONObject) {
        self.object = object
        guard object.count >= Self.hashedFrom else {
            hashed = nil
            return
        }
        var hashed: [Key: JSONValue] = [:]
        hashed.reserveCapacity(object.count)
        for member in object { hashed[Key(text: member.key)] = member.value }
        self.hashed = hashed
    }

    subscript(key: String) -> JSONValue? {
        guard let hashed else { return object[key] }
        return hashed[Key(text: key)]
    }
}
