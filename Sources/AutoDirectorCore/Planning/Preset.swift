/// A look shared by a whole batch (SPEC §5): a JSON file merged into every planned spec with
/// RFC 7386 semantics.
public struct Preset: Sendable, Equatable {
    public var id: String
    public var patch: JSONValue

    public init(id: String, patch: JSONValue) throws {
        guard let object = patch.objectValue else {
            throw AssetError(location: "presets/\(id).json", message: "a preset must be a JSON object (an RFC 7386 merge patch)")
        }
        for key in object.keys where SpecParts.identityKeys.contains(key) || key == "seed" {
            throw AssetError(location: "presets/\(id).json", message: "a preset sets the look of a batch; it cannot set \(key)")
        }
        if let problem = ShotID.problem(id) {
            throw AssetError(location: "preset \(TextSanitizer.quoted(id))", message: problem.replacingOccurrences(of: "shot_id", with: "preset id"))
        }
        self.id = id
        self.patch = patch
    }

    /// `preset brand_neutral_cool → background.hex #e8f0f5, color.palette ["#2c3e50",…]`: every
    /// leaf the preset sets, so the reason says exactly what it did.
    public var reason: String {
        let leaves = Preset.leaves(patch, prefix: []).map { path, value in
            "\(JSONDiff.dottedPath(path)) \(value.map(JSONWriter.compact) ?? "removed")"
        }
        return "preset \(id) → " + leaves.joined(separator: ", ")
    }

    private static func leaves(_ value: JSONValue, prefix: [JSONPathComponent]) -> [([JSONPathComponent], JSONValue?)] {
        guard let object = value.objectValue, !object.isEmpty else {
            return [(prefix, value.isNull ? nil : value)]
        }
        return object.flatMap { leaves($0.value, prefix: prefix + [.key($0.key)]) }
    }
}
