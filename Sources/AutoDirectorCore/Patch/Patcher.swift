/// The result of patching a version, before it is stored.
public struct PatchedSpec: Sendable {
    public var hashed: HashedSpec
    public var changes: [JSONChange]
    public var rulesApplied: [AppliedRule]
    /// How the version came about: a patch, or a refinement or variant stored the same way.
    public var origin: ShotVersion.Origin = .patch
}

/// Applies patches to a version's spec (SPEC §9): the patches in order, then validation, then
/// the seed (the parent's, unless a patch set it), then the hash. Pure: the work is bounded by
/// `limits`, and `expired` (the caller's clock) says when the time budget is spent.
public enum Patcher {
    public static func apply(
        _ patches: [ShotPatch], to base: ShotVersion, limits: PatchLimits = .standard, expired: @escaping () -> Bool = { false }
    ) throws -> PatchedSpec {
        guard !patches.isEmpty else { throw EngineError.emptyPatch }
        var result = JSONValue.object(base.spec)
        var work = PatchWork(limits: limits, expired: expired)
        try work.measure(result)
        for patch in patches {
            result = try patch.apply(to: result, work: &work)
            // Whatever the form, the document validation, hashing and diffing walk stays bounded.
            try work.measure(result)
        }
        guard var spec = result.objectValue else {
            throw InvalidSpecError(shotID: base.shotID, violations: [SpecViolation(path: "", message: "the patched spec must be a JSON object (got \(result.kindName))")])
        }
        if spec["shot_id"] != base.spec["shot_id"] {
            throw InvalidSpecError(shotID: base.shotID, violations: [SpecViolation(path: "shot_id", message: "cannot be changed by a patch")])
        }
        // The parent's seed is kept unless a patch sets one (SPEC §2): for a diffusion model a new
        // seed is a new picture, and the art director must see what the patch alone changed. A
        // patch that removes the seed has it derived from the patched spec.
        // Decided from the result, so every form counts: a dotted `seed=`, a merge patch, a JSON
        // Patch of `/seed`, or a whole spec replaced from $EDITOR with another seed (or none).
        let setsSeed = spec["seed"] != base.spec["seed"]
        if !setsSeed { spec["seed"] = .number(Double(base.seed)) }
        try SpecValidator.validate(spec)
        let hashed = try SpecHasher.hash(spec)
        if hashed.hash == base.hash { throw EngineError.patchChangesNothing(base.shotID, base.number) }

        let changes = JSONDiff.changes(from: .object(base.spec), to: .object(hashed.spec))
        // The seed entry says how the current seed came about; a kept seed keeps its entry.
        var applied = setsSeed ? base.rulesApplied.filter { $0.kind != .seed } : base.rulesApplied
        for change in changes where !(hashed.seedDerived && change.path == [.key("seed")]) {
            applied.append(AppliedRule(kind: .patch, reason: "patch: " + describe(change)))
        }
        if hashed.seedDerived {
            applied.append(AppliedRule(kind: .seed, reason: AppliedRule.derivedSeedReason))
        }
        return PatchedSpec(hashed: hashed, changes: changes, rulesApplied: applied)
    }

    /// `camera.fov 45 → 60`, `lighting.rim_light added {…}`, `attributes.finish removed`.
    public static func describe(_ change: JSONChange) -> String {
        let path = TextSanitizer.visible(change.dottedPath)
        switch change.kind {
        case .changed: return "\(path) \(show(change.oldValue)) → \(show(change.newValue))"
        case .added: return "\(path) added \(show(change.newValue))"
        case .removed: return "\(path) removed (was \(show(change.oldValue)))"
        }
    }

    public static func show(_ value: JSONValue?) -> String {
        guard let value else { return "nothing" }
        let text = TextSanitizer.visible(JSONWriter.compact(value))
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}
