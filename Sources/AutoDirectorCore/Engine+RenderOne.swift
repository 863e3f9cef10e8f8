import Foundation

/// A complete shot rendered on its own (`POST /render/shot/sync`), outside any batch: it is
/// validated, seeded and hashed as the planner does a storyboard shot, and its image is cached
/// by that hash like every other render. In two steps — prepare (blocking, on a thread of the
/// caller's), then render and store (`render(_:provider:settings:)`).
public struct SingleRender: Sendable {
    public var shotID: String
    public var hash: String
    public var seed: UInt32
    /// The hash was rendered already: no provider call was made.
    public var cached: Bool
    public var artifact: Artifact
}

extension Engine {
    /// A shot ready to render: its request, or what the cache already holds for its hash.
    public struct PreparedRender: Sendable {
        public var request: RenderRequest
        public var cached: Artifact?

        /// The answer when the cache already holds the image.
        public var cachedResult: SingleRender? {
            cached.map { SingleRender(shotID: request.shotID, hash: request.hash, seed: request.seed, cached: true, artifact: $0) }
        }
    }

    /// Step 1 (blocking): `preset` merged over the shot (RFC 7386), then validated, hashed and
    /// looked up in the cache.
    public func prepareRender(_ shot: JSONObject, preset presetID: String?) throws -> PreparedRender {
        var spec = shot
        if let presetID {
            guard let merged = MergePatch.apply(try assets.preset(presetID).patch, to: .object(shot)).objectValue else { throw PlanError.defaultsNotAnObject }
            spec = merged
        }
        try SpecValidator.validate(spec)
        let hashed = try SpecHasher.hash(spec)
        let request = RenderRequest(shotID: spec["shot_id"]?.stringValue ?? "", version: 0, hash: hashed.hash, spec: hashed.spec, seed: hashed.seed)
        return PreparedRender(request: request, cached: try store.artifact(for: hashed.hash))
    }

    /// The image rendered for a spec hash, if any (the cache is content-addressed by hash).
    public func artifact(forHash hash: String) throws -> Artifact? {
        try store.artifact(for: hash)
    }
}
