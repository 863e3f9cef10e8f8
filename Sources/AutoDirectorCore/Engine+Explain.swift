import Foundation

/// Why a version looks the way it does, and why it can be reproduced (SPEC §10).
public struct Explanation: Sendable {
    public struct Source: Sendable {
        public var batchID: String
        public var file: String
        public var line: Int
        /// Column → cell for CSV rows; the record's fields for storyboards.
        public var fields: JSONValue
    }

    public struct Step: Sendable {
        public var version: Int
        public var origin: ShotVersion.Origin
        public var hash: String
        /// The reasons this version added to its parent's.
        public var reasons: [AppliedRule]
    }

    public var version: ShotVersion
    public var source: Source?
    public var lineage: [Step]
    /// Parameters that differ from the defaults (assets/rules/defaults.json).
    public var differencesFromDefaults: [JSONChange]
    public var provider: String
    public var compiledPrompt: JSONObject
    public var reproducibility: [String]
}

extension Engine {
    public func explain(_ shotID: String, version number: Int? = nil) throws -> Explanation {
        let version = try version(of: shotID, number: number)
        let all = try store.versions(of: shotID).filter { $0.number <= version.number }

        var source: Explanation.Source?
        if let row = try store.sourceRow(of: shotID), let batch = try store.batch(row.batchID) {
            var fields = row.value
            if batch.format == .csv, let cells = fields.arrayValue, cells.count == batch.header.count {
                fields = .object(JSONObject(zip(batch.header, cells).map { JSONMember($0, $1) }))
            }
            source = .init(batchID: batch.id, file: batch.sourceName, line: row.line, fields: fields)
        }

        var lineage: [Explanation.Step] = []
        var previous: [String] = []
        for step in all {
            let reasons = step.rulesApplied.filter { !previous.contains($0.reason) }
            lineage.append(.init(version: step.number, origin: step.origin, hash: step.hash, reasons: reasons))
            previous = step.rulesApplied.map(\.reason)
        }

        var differences: [JSONChange] = []
        if version.spec["structured_prompt"] == nil {
            let defaults = try (source.map { try planningAssets(batchID: $0.batchID) } ?? assets).defaults()
            differences = JSONDiff.changes(from: .object(defaults), to: .object(version.spec)).filter { change in
                guard case .key(let top)? = change.path.first else { return true }
                return !SpecParts.perShotKeys.contains(top)
            }
        }

        let seedDerived = version.rulesApplied.contains { $0.kind == .seed }
        // A patch keeps its parent's seed (SPEC §2): name the version the seed comes from.
        // Up the parents (a patch of an older version branches), while patches kept the seed.
        let byHash = Dictionary(all.map { ($0.hash, $0) }, uniquingKeysWith: { first, _ in first })
        var origin = version
        while [.patch, .refine].contains(origin.origin), let parentHash = origin.parentHash, let parent = byHash[parentHash],
            parent.number < origin.number, parent.seed == version.seed
        {
            origin = parent
        }
        let seedOrigin = origin.number
        let kept = seedOrigin < version.number
        let seedSentence: String
        switch (seedDerived, kept) {
        case (true, false): seedSentence = "Its seed \(version.seed) was derived from the SHA-256 of the canonical spec without the seed, and is stored in the spec."
        case (true, true): seedSentence = "Its seed \(version.seed) was derived from the SHA-256 of v\(seedOrigin)'s canonical spec without the seed and kept by every patch since (a patch keeps its parent's seed unless it sets one)."
        case (false, false): seedSentence = "Its seed \(version.seed) was set explicitly and is stored in the spec."
        case (false, true): seedSentence = "Its seed \(version.seed) was set explicitly in v\(seedOrigin) and kept by every patch since."
        }
        var reproducibility = [
            "The spec is hashed in its RFC 8785 canonical form: SHA-256 \(version.hash).",
            seedSentence,
            version.spec["structured_prompt"] == nil
                ? "Rendering sends only the compiled structured prompt and this seed, so the same spec always makes the same request; renders are cached by hash."
                : "Rendering sends only the frozen structured prompt, as it is stored, and this seed, so the same spec always makes the same request; renders are cached by hash.",
            source == nil && all.first?.origin == .inspire
                ? "The shot began as a picture read by the prompt model: its spec froze the answer (the picture's SHA-256 is in `source`), so from then on the same spec gives this same hash on any machine."
                : "Planning is a pure function of the source row, the rules, the preset and the patches: the same inputs give this same hash on any machine.",
        ]
        // The provider that rendered this version's image, as recorded with it; before a render,
        // the one this process would use.
        let artifact = try store.artifact(for: version.hash)
        let renderedBy = artifact?.provider ?? provider
        let reruns = artifact == nil ? [] : try store.renderDrifts(of: [version.hash])[version.hash] ?? []
        if let drift = RenderDrift.line(RenderDrift.reasons(
            providerMeta: artifact?.providerMeta, sentPrompt: artifact?.compiledPrompt, seed: version.seed, imageSHA256: artifact?.imageSHA256,
            reruns: reruns))
        {
            reproducibility.append(drift)
        }
        return Explanation(
            version: version, source: source, lineage: lineage, differencesFromDefaults: differences, provider: renderedBy,
            compiledPrompt: compiledPrompt(version), reproducibility: reproducibility)
    }
}
