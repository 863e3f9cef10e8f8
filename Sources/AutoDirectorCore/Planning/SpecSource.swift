/// Where a spec's frozen structured prompt came from (SPEC §18), kept in the spec (so it is part
/// of the frozen version and its hash): `{"kind": "refine", "note": "warmer, 85 mm"}` or
/// `{"kind": "inspire", "image_sha256": "…", "image_file": "moodboard.jpg", "note": "…"}`.
public struct SpecSource: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Bria's prompt model rewrote a version's structured prompt from a note.
        case refine
        /// Bria's prompt model read a picture.
        case inspire
    }

    public var kind: Kind
    public var note: String?
    public var imageSHA256: String?
    public var imageFile: String?

    public static let key = "source"
    static let fields: Set<String> = ["kind", "note", "image_sha256", "image_file"]
    public static let textLimit = 2000

    public init(kind: Kind, note: String? = nil, imageSHA256: String? = nil, imageFile: String? = nil) {
        (self.kind, self.note, self.imageSHA256, self.imageFile) = (kind, note, imageSHA256, imageFile)
    }

    /// The source a (validated) spec records, if any.
    public init?(spec: JSONObject) {
        guard let object = spec[Self.key]?.objectValue, let kind = object["kind"]?.stringValue.flatMap(Kind.init(rawValue:)) else { return nil }
        self.init(
            kind: kind, note: object["note"]?.stringValue, imageSHA256: object["image_sha256"]?.stringValue,
            imageFile: object["image_file"]?.stringValue)
    }

    public var json: JSONValue {
        var object: JSONObject = ["kind": .string(kind.rawValue)]
        if let note { object["note"] = .string(note) }
        if let imageSHA256 { object["image_sha256"] = .string(imageSHA256) }
        if let imageFile { object["image_file"] = .string(imageFile) }
        return .object(object)
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
