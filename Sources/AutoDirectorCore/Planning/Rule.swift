/// A planning rule as data (SPEC §5): a condition on record attributes, spec changes, a reason.
///
/// File form: `{"id": "glossy_finish", "when": {"finish": "glossy"}, "set": {"lighting.key_light.intensity": 0.7}, "reason": "…"}`.
/// `when` values may be a string or an array of strings (any of them); matching ignores case and
/// surrounding whitespace; every condition must hold.
public struct Rule: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public var path: [JSONPathComponent]
        public var pathText: String
        public var value: JSONValue
    }

    public var id: String
    public var conditions: [(attribute: String, anyOf: [String])]
    public var changes: [Change]
    public var reason: String

    public static func == (lhs: Rule, rhs: Rule) -> Bool {
        lhs.id == rhs.id && lhs.changes == rhs.changes && lhs.reason == rhs.reason
            && lhs.conditions.map(\.attribute) == rhs.conditions.map(\.attribute)
            && lhs.conditions.map(\.anyOf) == rhs.conditions.map(\.anyOf)
    }

    public func matches(_ attributes: JSONObject) -> Bool {
        for condition in conditions {
            guard let value = attributes[condition.attribute]?.stringValue else { return false }
            if !condition.anyOf.contains(where: { Rule.matches(value, normalized: $0) }) { return false }
        }
        return true
    }

    /// Whether `value`, trimmed and lowercased, equals `target` (already normalized); ASCII
    /// values are compared byte by byte without building a new string, as this runs per row.
    static func matches(_ value: String, normalized target: String) -> Bool {
        var bytes = value.utf8[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return ScalarText.equal(normalize(value), target) }
        let targetBytes = target.utf8
        guard bytes.count == targetBytes.count else { return false }
        for (a, b) in zip(bytes, targetBytes) {
            let lower = a >= 0x41 && a <= 0x5A ? a + 0x20 : a
            if lower != b { return false }
        }
        return true
    }

    static func normalize(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Parses one rule; `where` names the file and index for errors.
    public init(json: JSONValue, where location: String) throws {
        func fail(_ message: String) -> AssetError { AssetError(location: location, message: message) }
        guard let object = json.objectValue else { throw fail("a rule must be an object") }
        for key in object.keys where !["id", "when", "set", "reason"].contains(key) {
            throw fail("unknown field \(TextSanitizer.quoted(key)) (allowed: id, when, set, reason)")
        }
        guard let id = object["id"]?.stringValue, !id.isEmpty else { throw fail("\"id\" must be a non-empty string") }
        guard let reason = object["reason"]?.stringValue, !reason.isEmpty else { throw fail("rule \(id): \"reason\" must be a non-empty string") }
        guard let when = object["when"]?.objectValue, !when.isEmpty else { throw fail("rule \(id): \"when\" must be an object of attribute conditions") }
        guard let set = object["set"]?.objectValue, !set.isEmpty else { throw fail("rule \(id): \"set\" must be an object of dotted paths to values") }
        var conditions: [(attribute: String, anyOf: [String])] = []
        for member in when {
            switch member.value {
            case .string(let value):
                conditions.append((member.key, [Rule.normalize(value)]))
            case .array(let values) where !values.isEmpty && values.allSatisfy({ $0.stringValue != nil }):
                conditions.append((member.key, values.compactMap(\.stringValue).map(Rule.normalize)))
            default:
                throw fail("rule \(id): condition \(member.key) must be a string or an array of strings")
            }
        }
        var changes: [Change] = []
        for member in set {
            let path: [JSONPathComponent]
            do { path = try DottedPath.parse(member.key) } catch { throw fail("rule \(id): \(error)") }
            if case .key(let top)? = path.first, SpecParts.identityKeys.contains(top) || top == "seed" {
                throw fail("rule \(id): rules set the look of a shot; they cannot set \(top)")
            }
            changes.append(Change(path: path, pathText: member.key, value: member.value))
        }
        self.id = id
        self.conditions = conditions
        self.changes = changes
        self.reason = reason
    }
}

/// A rules or preset file that cannot be used, with where it is.
public struct AssetError: Error, Sendable, CustomStringConvertible {
    public var location: String
    public var message: String
    public var description: String { "\(location): \(message)" }
}
