/// FIBO's `structured_prompt` conventions (reference/bria-api-v2.md, "structured_prompt schema").
public enum StructuredPrompt {
    /// The FIBO structured prompt a spec renders with (SPEC §3): its own, normalized, in
    /// structured-prompt mode; compiled from its parameters in internal mode.
    public static func forSpec(_ spec: JSONObject) -> JSONObject {
        if let prompt = spec["structured_prompt"]?.objectValue { return normalize(prompt) }
        return StructuredPromptCompiler.compile(spec)
    }

    /// FIBO's training-serializer key order.
    public static let keyOrder: [String] = [
        "short_description",
        "objects",
        "background_setting",
        "lighting",
        "aesthetics",
        "photographic_characteristics",
        "style_medium",
        "text_render",
        "context",
        "artistic_style",
    ]

    /// Reorders top-level keys into keyOrder (unknown keys kept after them in their original order) and drops null, "", [] and {} values recursively (FIBO's serializer drops them).
    ///
    /// Pruning is bottom-up: a container that becomes empty once its empty members are dropped is
    /// dropped too (`{"lighting":{"shadows":null}}` → `{}`). Empty elements are removed from arrays
    /// as well. Nested objects keep their member order.
    public static func normalize(_ prompt: JSONObject) -> JSONObject {
        let pruned = prune(prompt)
        var members: [JSONMember] = []
        members.reserveCapacity(pruned.count)
        for key in keyOrder {
            if let value = pruned[key] { members.append(JSONMember(key, value)) }
        }
        for member in pruned.members where !keyOrder.contains(member.key) {
            members.append(member)
        }
        return JSONObject(members)
    }

    private static func prune(_ object: JSONObject) -> JSONObject {
        var members: [JSONMember] = []
        members.reserveCapacity(object.count)
        for member in object.members {
            if let value = prune(member.value) { members.append(JSONMember(member.key, value)) }
        }
        return JSONObject(members)
    }

    /// The value with its empty parts removed, or nil when the value itself is empty.
    ///
    /// Written with explicit `Optional.none`: JSONValue is ExpressibleByNilLiteral, so a bare
    /// `nil` in a ternary next to a JSONValue would silently become `.some(.null)`.
    private static func prune(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null:
            return Optional.none
        case .string(let string):
            if string.isEmpty { return Optional.none }
            return value
        case .array(let elements):
            let kept = elements.compactMap { prune($0) }
            if kept.isEmpty { return Optional.none }
            return .array(kept)
        case .object(let object):
            let kept = prune(object)
            if kept.isEmpty { return Optional.none }
            return .object(kept)
        case .bool, .number:
            return value
        }
    }
}
