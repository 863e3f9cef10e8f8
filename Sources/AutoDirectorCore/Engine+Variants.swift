import Foundation

/// Seed variants (SPEC §18): alternates of one version that differ only in their seed, each
/// rendered and cached by its own hash like every render; one picked becomes the next version.
extension Engine {
    /// Seeds for `count` variants of a version: the seeds after its own, in turn, so the same
    /// version always offers the same alternates (and a diffusion model's neighbouring seeds
    /// are as unrelated as any).
    public static func variantSeeds(of version: ShotVersion, count: Int) -> [UInt32] {
        (1...max(1, count)).map { version.seed &+ UInt32(truncatingIfNeeded: $0) }
    }

    /// The variants of a version (the latest by default) with these seeds, ready to render:
    /// each its spec with the seed replaced, hashed, and looked up in the cache.
    public func prepareVariants(_ shotID: String, version number: Int? = nil, seeds: [UInt32]) throws -> (version: ShotVersion, variants: [PreparedRender]) {
        let base = try version(of: shotID, number: number)
        let variants = try seeds.map { seed -> PreparedRender in
            let hashed = try SpecHasher.hash(Self.spec(base.spec, seed: seed))
            let request = RenderRequest(shotID: shotID, version: base.number, hash: hashed.hash, spec: hashed.spec, seed: hashed.seed)
            return PreparedRender(request: request, cached: try store.artifact(for: hashed.hash))
        }
        return (base, variants)
    }

    /// Makes the variant with `seed` of a version (the latest by default) the shot's next
    /// version (origin `variant`), and queues its render (cached when the variant was rendered).
    public func pickVariant(_ shotID: String, version number: Int? = nil, seed: UInt32) throws -> RerenderResult {
        let base = try version(of: shotID, number: number)
        let hashed = try SpecHasher.hash(Self.spec(base.spec, seed: seed))
        if hashed.hash == base.hash { throw EngineError.patchChangesNothing(shotID, base.number) }
        // The seed's reason is now the pick, not how the parent's seed came about.
        var applied = base.rulesApplied.filter { $0.kind != .seed }
        applied.append(AppliedRule(kind: .variant, reason: "variant: seed \(seed) picked among the seed variants of v\(base.number) (seed \(base.seed))"))
        let patched = PatchedSpec(
            hashed: hashed, changes: JSONDiff.changes(from: .object(base.spec), to: .object(hashed.spec)), rulesApplied: applied, origin: .variant)
        return try store(patched, base: base, baseWasLatest: number == nil)
    }

    private static func spec(_ spec: JSONObject, seed: UInt32) -> JSONObject {
        var spec = spec
        spec["seed"] = .number(Double(seed))
        return spec
    }
}
