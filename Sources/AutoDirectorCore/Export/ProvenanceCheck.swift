/// `verify`'s reading of an exported picture's provenance against its manifest entry: the
/// chunk must be there, intact, name the entry's shot, version, spec hash and seed, and be the
/// text exported (its SHA-256), so an edited request id, time or prompt is noticed too.
enum ProvenanceCheck {
    static func problem(_ finding: PNGTextScanner.Finding?, expected: String, entry: JSONValue) -> String? {
        switch finding {
        case nil: return nil  // unreadable: reported already
        case .notPNG?: return "not a complete PNG, so its provenance cannot be read"
        case .absent?: return "carries no provenance; manifest.json says it was exported with one"
        case .damaged?: return "its provenance was edited (the chunk's CRC does not match its bytes)"
        case .text(let text)?:
            let actual = SHA256Hex.digest(Array(text.utf8))
            guard actual != expected else { return nil }
            let parsed = try? JSONParser.parse(text, maxDepth: JSONDepth.storedLimit)
            let pairs: [(provenance: String, manifest: String)] = [("shot_id", "shot_id"), ("version", "version"), ("spec_hash", "hash"), ("seed", "seed")]
            let differing = pairs.compactMap { pair -> String? in
                let said = parsed?[pair.provenance] ?? .null
                let listed = entry[pair.manifest] ?? .null
                guard said != listed else { return nil }
                return "\(pair.provenance) \(TextSanitizer.visible(JSONWriter.compact(said), limit: 80)) where manifest.json says \(TextSanitizer.visible(JSONWriter.compact(listed), limit: 80))"
            }
            if !differing.isEmpty { return "its provenance was edited: " + differing.joined(separator: ", ") }
            return "its provenance was edited (SHA-256 \(actual), manifest.json says \(expected))"
        }
    }
}
