import Foundation

/// Whether a render reproduced what was asked (SPEC §18): Bria answers each render with the
/// structured prompt and seed it used, kept with the render; when they differ from what was
/// sent, or a forced re-render of the hash gave another picture, the same spec may not give the
/// same picture again, and `explain`, the TUI's detail and `report.md` say so. Renders that
/// recorded neither (the mock) have only their re-renders to compare.
public enum RenderDrift {
    /// Why the render did not reproduce, one sentence each; empty when it did (or cannot tell).
    /// `reruns`: the forced re-renders of its hash whose picture came out other than `imageSHA256`.
    public static func reasons(
        providerMeta: String?, sentPrompt: String?, seed: UInt32, imageSHA256: String? = nil, reruns: [RenderDriftRecord] = []
    ) -> [String] {
        var reasons = answerReasons(providerMeta: providerMeta, sentPrompt: sentPrompt, seed: seed)
        for rerun in reruns where rerun.imageSHA256 != imageSHA256 {
            let other = TextSanitizer.visible(String(rerun.imageSHA256.prefix(12)))
            let first = TextSanitizer.visible(String((imageSHA256 ?? "").prefix(12)))
            reasons.append(
                "A forced re-render on \(day(rerun.createdAt)) gave another picture (SHA-256 \(other)…, kept at "
                    + "\(TextSanitizer.visible(rerun.path, limit: 200))); the image shown is the first (\(first)…).")
        }
        return reasons
    }

    /// What the provider's answer says of the seed and structured prompt it used.
    private static func answerReasons(providerMeta: String?, sentPrompt: String?, seed: UInt32) -> [String] {
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

    /// The UTC day of a date, as `2026-12-07`.
    private static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The line `explain` and the TUI show: "Not reproduced: …".
    public static func line(_ reasons: [String]) -> String? {
        reasons.isEmpty ? nil : "Not reproduced: " + reasons.joined(separator: " ")
    }
}
