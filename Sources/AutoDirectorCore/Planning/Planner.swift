import Foundation

/// What the planner made of one row: a hashed spec and why it looks the way it does.
public struct PlannedShot: Sendable, Equatable {
    public var shotID: String
    public var subject: String
    public var line: Int
    public var hashed: HashedSpec
    public var rulesApplied: [AppliedRule]
    public var origin: ShotVersion.Origin
}

/// Plans shots from ingest rows (SPEC §5): defaults, then the preset (RFC 7386), then every
/// matching rule in file order; then validation and the seed (SPEC §2). Pure: the same rows,
/// defaults, rules and preset always give the same specs.
public struct Planner: Sendable {
    public var defaults: JSONObject
    public var rules: [Rule]
    public var preset: Preset?

    public init(defaults: JSONObject, rules: [Rule], preset: Preset?) {
        self.defaults = defaults
        self.rules = rules
        self.preset = preset
    }

    /// The base spec every record starts from, with the preset merged in.
    private var base: JSONValue {
        let start = JSONValue.object(defaults)
        guard let preset else { return start }
        return MergePatch.apply(preset.patch, to: start)
    }

    public func plan(_ items: [IngestItem]) throws -> [PlannedShot] {
        let base = self.base
        // Planning is pure per row, so it spreads over the cores; results keep input order.
        var results = [Result<PlannedShot, Error>?](repeating: nil, count: items.count)
        let chunk = max(1, (items.count + 7) / 8)
        let chunks = (items.count + chunk - 1) / chunk
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for index in (c * chunk)..<min(items.count, (c + 1) * chunk) {
                    output[index] = Result { try plan(items[index], base: base) }
                }
            }
        }
        return try results.map { try $0!.get() }
    }

    public func plan(_ item: IngestItem) throws -> PlannedShot {
        try plan(item, base: base)
    }

    private func plan(_ item: IngestItem, base: JSONValue) throws -> PlannedShot {
        switch item {
        case .shot(let line, let spec):
            try SpecValidator.validate(spec)
            let hashed = try SpecHasher.hash(spec)
            var applied = [AppliedRule(kind: .storyboard, reason: "complete shot from storyboard line \(line)")]
            if hashed.seedDerived { applied.append(seedReason(hashed.seed)) }
            return PlannedShot(
                shotID: item.shotID, subject: spec["subject"]?.stringValue ?? item.shotID, line: line,
                hashed: hashed, rulesApplied: applied, origin: .storyboard)
        case .record(let record):
            var spec = base
            var applied = [AppliedRule(kind: .defaults, reason: "defaults (assets/rules/defaults.json)")]
            if let preset { applied.append(AppliedRule(kind: .preset, id: preset.id, reason: preset.reason)) }
            for rule in rules where rule.matches(record.attributes) {
                for change in rule.changes {
                    spec = try DottedPath.setting(change.value, at: change.path, in: spec)
                }
                applied.append(AppliedRule(kind: .rule, id: rule.id, reason: rule.reason))
            }
            guard var object = spec.objectValue else { throw PlanError.defaultsNotAnObject }
            // Identity first, so that a stored spec reads naturally; key order does not affect the hash.
            var identity = JSONObject()
            identity["shot_id"] = .string(record.shotID)
            identity["subject"] = .string(record.subject)
            if !record.attributes.isEmpty { identity["attributes"] = .object(record.attributes) }
            for member in object where identity[member.key] == nil { identity[member.key] = member.value }
            object = identity
            try SpecValidator.validate(object)
            let hashed = try SpecHasher.hash(object)
            if hashed.seedDerived { applied.append(seedReason(hashed.seed)) }
            return PlannedShot(
                shotID: record.shotID, subject: record.subject, line: record.line, hashed: hashed,
                rulesApplied: applied, origin: .plan)
        }
    }

    private func seedReason(_ seed: UInt32) -> AppliedRule {
        AppliedRule(kind: .seed, reason: "seed \(seed) derived from the SHA-256 of the canonical spec without seed")
    }
}

public enum PlanError: Error, Sendable, CustomStringConvertible {
    case defaultsNotAnObject

    public var description: String {
        switch self {
        case .defaultsNotAnObject: return "The defaults and preset do not form a JSON object; check rules/defaults.json and the preset."
        }
    }
}
