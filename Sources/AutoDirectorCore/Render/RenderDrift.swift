/// Whether a render reproduced what was asked (SPEC §18): Bria answers each render with the
/// structured prompt and seed it used, kept with the render; when they differ from what was
/// sent, the same spec may not give the same picture again, and `explain`, the TUI's detail and
/// `report.md` say so. Renders that recorded neither (the mock) have nothing to compare.
public enum RenderDrift {
    /// Why the render did not reproduce, one sentence each; empty when it did (or cannot tell).
    public static func reasons(providerMeta: String?, sentPrompt: String?, seed: UInt32) -> [String] {
        guard let meta = providerMeta.flatMap({ try? JSONParser.parse($0, maxDepth: JSONDepth.storedLimit) }),
            let result = meta["status_response"]?["result"]
        else { return [] }
        let provider = meta["provider"]?.stringValue == "bria" ? "Bria" : "The provider"
        var reasons: [String] = []
        if let returned = result["seed"]?.numberValue, returned != Double(seed) {
            reasons.append("\(provider) rendered with seed \(TextSanitizer.visible(JSONWriter.compact(.number(returned)))), not the seed \(seed) sent.")
        }
        if let returnedText = result["structured_prompt"]?.stringValue, let sentText = sentPrompt,
            let returned = try? JSONParser.parse(returnedText, maxDepth: JSONDepth.storedLimit), let sent = try? JSONParser.parse(sentText, maxDepth: JSONDepth.storedLimit),
            returned.objectValue != nil, returned != sent
        {
            let fields = JSONDiff.changes(from: sent, to: returned).map { TextSanitizer.visible($0.dottedPath, limit: 80) }
            let shown = fields.prefix(5).joined(separator: ", ") + (fields.count > 5 ? ", …" : "")
            reasons.append("\(provider) rendered another structured prompt than the one sent (\(shown)).")
        }
        return reasons
    }

    /// The line `explain` and the TUI show: "Not reproduced: …".
    public static func line(_ reasons: [String]) -> String? {
        reasons.isEmpty ? nil : "Not reproduced: " + reasons.joined(separator: " ")
    }
}
