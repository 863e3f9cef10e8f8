/// A JSON document as a value (RFC 8259).
///
/// Numbers are IEEE-754 doubles, as RFC 8785 requires; NaN and infinities cannot be parsed and
/// are refused by the canonical writer. Objects keep their members in insertion order, because
/// FIBO's structured prompt has a meaningful key order, but two objects compare equal when they
/// hold the same members in any order (JSON semantics). Strings and keys compare by their
/// Unicode scalars, as JSON does, not by Swift's canonical equivalence (see `ScalarText`).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return ScalarText.equal(a, b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .number(let value): hasher.combine(2); hasher.combine(value)
        case .string(let value): hasher.combine(3); ScalarText.hash(value, into: &hasher)
        case .array(let value): hasher.combine(4); hasher.combine(value)
        case .object(let value): hasher.combine(5); hasher.combine(value)
        }
    }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Hashable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }

    public static func == (lhs: JSONMember, rhs: JSONMember) -> Bool {
        ScalarText.equal(lhs.key, rhs.key) && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        ScalarText.hash(key, into: &hasher)
        hasher.combine(value)
    }
}

/// An insertion-ordered JSON object. Keys are unique; lookups are linear, which is faster than
/// hashing for the small objects a shot spec is made of.
public struct JSONObject: Sendable, Hashable, Sequence {
    public private(set) var members: [JSONMember]

    public init() { members = [] }

    /// Builds an object from members; a later duplicate key replaces the earlier value in place.
    public init(_ members: [JSONMember]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// Builds an object from members whose keys the caller knows to be distinct (e.g. CSV header
    /// columns), skipping the per-member duplicate check.
    init(uniqueMembers members: [JSONMember]) {
        self.members = members
    }

    public init(_ pairs: KeyValuePairs<String, JSONValue>) {
        self.init(pairs.map { JSONMember($0.key, $0.value) })
    }

    /// The most members an object read from input may have: lookups are linear (see above),
    /// so the bound keeps everything that looks keys up per member (merge patches, diffs,
    /// attribute checks) from turning quadratic on a hostile document.
    public static let maxMembers = 10_000

    /// Appends a member whose key the caller has checked is not there yet.
    mutating func appendUnchecked(_ member: JSONMember) { members.append(member) }

    mutating func replaceValue(at position: Int, with value: JSONValue) { members[position].value = value }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func makeIterator() -> IndexingIterator<[JSONMember]> { members.makeIterator() }

    public func index(of key: String) -> Int? {
        members.firstIndex { ScalarText.equal($0.key, key) }
    }

    /// Reading returns the value for `key`; assigning `nil` removes the member; assigning a value
    /// replaces it in place or appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where ScalarText.equal(member.key, key) { return member.value }
            return nil
        }
        set {
            if let index = index(of: key) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(JSONMember(key, newValue))
            }
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(of: key) else { return nil }
        return members.remove(at: index).value
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with ==.
        var combined = 0
        for member in members {
            var h = Hasher()
            h.combine(member)
            combined ^= h.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}

extension JSONValue {
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    public var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member `key` of an object, or nil for anything else.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// A short name for the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONMember($0.0, $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { JSONMember($0.0, $0.1) })
    }
}
