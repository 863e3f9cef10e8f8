/// One entry of a version's `rules_applied`: why the spec looks the way it does (SPEC §5, §9).
public struct AppliedRule: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case defaults, preset, rule, storyboard, patch, seed, refine, inspire, variant
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

    /// The seed itself is in the spec; the reason names the derivation, so that shots planned by
    /// the same rules share one stored list of reasons.
    public static let derivedSeedReason = "seed derived from the SHA-256 of the canonical spec without seed"

    public var json: JSONValue {
        var object = JSONObject()
        object["kind"] = .string(kind.rawValue)
        if let id { object["id"] = .string(id) }
        object["reason"] = .string(reason)
        return .object(object)
    }

    /// A list of reasons as stored: a compact JSON array.
    public static func json(_ list: [AppliedRule]) -> String {
        JSONWriter.compact(.array(list.map(\.json)))
    }

    public init?(json: JSONValue) {
        guard let kindText = json["kind"]?.stringValue, let kind = Kind(rawValue: kindText),
            let reason = json["reason"]?.stringValue
        else { return nil }
        self.init(kind: kind, id: json["id"]?.stringValue, reason: reason)
    }
}
