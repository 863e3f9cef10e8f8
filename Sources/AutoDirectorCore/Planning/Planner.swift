import Foundation

/// JSON stored once and shared by many versions (a look, a list of reasons), keyed by the
/// SHA-256 of its text.
public struct SharedJSON: Sendable, Equatable {
    public var key: String
    public var json: String

    public init(json: String) {
        self.json = json
        key = SHA256Hex.digest(Array(json.utf8))
    }
}

/// What the planner made of one row, ready to store: the spec in its two parts, its hash and seed,
/// and why it looks the way it does.
public struct PlannedShot: Sendable, Equatable {
    public var shotID: String
    public var subject: String
    public var line: Int
    public var hash: String
    public var seed: UInt32
    /// Canonical JSON of `shot_id`, `subject`, `attributes`; nil when it is exactly what the
    /// source row gives (`IngestRecord.identity`), which the store then derives instead of storing.
    public var identity: String?
    public var look: SharedJSON
    public var rulesApplied: SharedJSON
    public var origin: ShotVersion.Origin
}

/// Plans shots from ingest rows (SPEC §5): defaults, then the preset (RFC 7386), then every
/// matching rule in file order; then validation and the seed (SPEC §2). Pure: the same rows,
/// defaults, rules and preset always give the same specs.
///
/// Rows that match the same rules share a look, so the look is built, validated and serialized
/// once per combination of rules (per chunk); per row only the identity is serialized and the
/// spec hashed.
public struct Planner: Sendable {
    public var defaults: JSONObject
    public var rules: [Rule]
    public var preset: Preset?

    public init(defaults: JSONObject, rules: [Rule], preset: Preset?) {
        self.defaults = defaults
        self.rules = rules
        self.preset = preset
    }

    /// A look shared by every row that matches the same rules.
    private struct Look {
        var members: CanonicalMembers
        var stored: SharedJSON
        var rulesApplied: SharedJSON
    }

    /// Plans items in order on the calling thread.
    public func planSequentially(_ items: ArraySlice<IngestItem>) throws -> [PlannedShot] {
        let base = try baseLook()
        let presetReason = preset.map { AppliedRule(kind: .preset, id: $0.id, reason: $0.reason) }
        var looks: [[Int]: Look] = [:]
        var results: [PlannedShot] = []
        results.reserveCapacity(items.count)
        for item in items { results.append(try plan(item, base: base, presetReason: presetReason, looks: &looks)) }
        return results
    }

    /// The defaults with the preset merged in.
    private func baseLook() throws -> JSONValue {
        var start = JSONValue.object(defaults)
        if let preset { start = MergePatch.apply(preset.patch, to: start) }
        guard start.objectValue != nil else { throw PlanError.defaultsNotAnObject }
        return start
    }

    private func plan(_ item: IngestItem, base: JSONValue, presetReason: AppliedRule?, looks: inout [[Int]: Look]) throws -> PlannedShot {
        switch item {
        case .shot(let line, let spec):
            return try planComplete(spec, line: line)
        case .record(let record):
            if let problem = ShotID.problem(record.shotID) {
                throw InvalidSpecError(shotID: record.shotID, violations: [SpecViolation(path: "shot_id", message: problem)])
            }

            let matched = rules.indices.filter { rules[$0].matches(record.attributes) }
            let look: Look
            if let known = looks[matched] {
                look = known
            } else {
                look = try makeLook(matched: matched, base: base, presetReason: presetReason, identity: record.identity)
                looks[matched] = look
            }
            let identityMembers = try CanonicalMembers(identityOf: record)
            let digest = SpecHasher.hash(identityMembers, look.members, seed: nil)
            return PlannedShot(
                shotID: record.shotID, subject: record.subject, line: record.line, hash: digest.hash, seed: digest.seed,
                identity: nil, look: look.stored, rulesApplied: look.rulesApplied, origin: .plan)
        }
    }

    /// Builds and validates the look for one combination of rules. Rules and presets cannot set
    /// identity fields or the seed (see `Rule`), so a look valid with one row's identity is
    /// valid with any.
    private func makeLook(matched: [Int], base: JSONValue, presetReason: AppliedRule?, identity: JSONObject) throws -> Look {
        var spec = base
        var applied = [AppliedRule(kind: .defaults, reason: "defaults (assets/rules/defaults.json)")]
        if let presetReason { applied.append(presetReason) }
        for index in matched {
            let rule = rules[index]
            for change in rule.changes { spec = try DottedPath.setting(change.value, at: change.path, in: spec) }
            applied.append(AppliedRule(kind: .rule, id: rule.id, reason: rule.reason))
        }
        applied.append(AppliedRule(kind: .seed, reason: AppliedRule.derivedSeedReason))
        guard let lookObject = spec.objectValue else { throw PlanError.defaultsNotAnObject }
        var full = identity
        for member in lookObject { full[member.key] = member.value }
        try SpecValidator.validate(full)
        let members = try CanonicalMembers(lookObject)
        return Look(
            members: members, stored: SharedJSON(json: members.objectString),
            rulesApplied: SharedJSON(json: AppliedRule.json(applied)))
    }

    /// A complete storyboard shot is planned as given: validated, seeded, hashed.
    private func planComplete(_ spec: JSONObject, line: Int) throws -> PlannedShot {
        try SpecValidator.validate(spec)
        let hashed = try SpecHasher.hash(spec)
        var applied = [AppliedRule(kind: .storyboard, reason: "complete shot from storyboard line \(line), planned as given (rules and presets apply to records only)")]
        if hashed.seedDerived { applied.append(AppliedRule(kind: .seed, reason: AppliedRule.derivedSeedReason)) }
        let stored = try StoredSpec(hashed.spec)
        return PlannedShot(
            shotID: spec["shot_id"]?.stringValue ?? "", subject: spec["subject"]?.stringValue ?? spec["shot_id"]?.stringValue ?? "",
            line: line, hash: hashed.hash, seed: hashed.seed, identity: stored.identity, look: stored.look,
            rulesApplied: SharedJSON(json: AppliedRule.json(applied)), origin: .storyboard)
    }
}

/// A whole spec split into the parts the store keeps.
struct StoredSpec {
    var identity: String
    var look: SharedJSON

    init(_ spec: JSONObject) throws {
        let (identity, look) = SpecParts.split(spec)
        self.identity = try CanonicalMembers(identity).objectString
        self.look = SharedJSON(json: try CanonicalMembers(look).objectString)
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
