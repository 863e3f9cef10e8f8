/// One entry of a version's `rules_applied`: why the spec looks the way it does (SPEC §5, §9).
public struct AppliedRule: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case defaults, preset, rule, storyboard, patch, seed
    }

    public var kind: Kind
    /// The rule or preset id; nil for patches, defaults and seeds.
    public var id: String?
    public var reason: String

    public init(kind: Kind, id: String? = nil, reason: String) {
        self.kind = kind
        self.id = id
        self.reason = reason
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["kind"] = .string(kind.rawValue)
        if let id { object["id"] = .string(id) }
        object["reason"] = .string(reason)
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard let kindText = json["kind"]?.stringValue, let kind = Kind(rawValue: kindText),
            let reason = json["reason"]?.stringValue
        else { return nil }
        self.init(kind: kind, id: json["id"]?.stringValue, reason: reason)
    }
}
