/// The order people read a spec in. Stored specs are canonical (keys sorted), which is right for
/// hashing but puts `attributes` before `shot_id`; key order never affects the hash.
public enum SpecLayout {
    public static let topLevelOrder = SpecParts.identityOrder + [
        "structured_prompt", "camera", "lens", "lighting", "color", "background", "output", "seed",
    ]

    public static func readable(_ spec: JSONObject) -> JSONObject {
        var ordered = JSONObject()
        for key in topLevelOrder { if let value = spec[key] { ordered[key] = value } }
        for member in spec where ordered[member.key] == nil { ordered[member.key] = member.value }
        return ordered
    }
}
