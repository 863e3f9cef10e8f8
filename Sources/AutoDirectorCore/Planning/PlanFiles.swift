/// The planning files a plan read — `rules/defaults.json`, `rules/rules.json` and the preset's
/// `presets/ID.json` — by their path in a project directory, as text. The database keeps them
/// with the batch (SPEC §16: the rules and presets that planned a batch are in the database), so
/// that every machine of a shared project plans it again from the same files.
public struct PlanFiles: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var text: String
        /// Of the text's UTF-8 bytes: a file is stored once however many batches it planned.
        public var sha256: String
    }

    public private(set) var byPath: [String: File]

    public init(texts: [String: String] = [:]) {
        byPath = texts.mapValues { File(text: $0, sha256: SHA256Hex.digest(Array($0.utf8))) }
    }

    public var isEmpty: Bool { byPath.isEmpty }
    public var paths: [String] { byPath.keys.sorted() }

    public subscript(path: String) -> String? { byPath[path]?.text }
}
