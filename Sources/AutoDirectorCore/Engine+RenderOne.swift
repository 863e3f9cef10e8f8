import Foundation

/// A complete shot rendered on its own (`POST /render/shot/sync`), outside any batch: it is
/// validated, seeded and hashed as the planner does a storyboard shot, and its image is cached
/// by that hash like every other render.
public struct SingleRender: Sendable {
    public var shotID: String
    public var hash: String
    public var seed: UInt32
    /// The hash was rendered already: no provider call was made.
    public var cached: Bool
    public var artifact: Artifact
}

extension Engine {
    /// `preset`: merged over the shot (RFC 7386) before it is validated and hashed.
    public func renderOne(_ shot: JSONObject, preset presetID: String?, provider: any RenderProvider) async throws -> SingleRender {
        var spec = shot
        if let presetID {
            guard let merged = MergePatch.apply(try assets.preset(presetID).patch, to: .object(shot)).objectValue else { throw PlanError.defaultsNotAnObject }
            spec = merged
        }
        try SpecValidator.validate(spec)
        let hashed = try SpecHasher.hash(spec)
        let shotID = spec["shot_id"]?.stringValue ?? ""
        if let artifact = try store.artifact(for: hashed.hash) {
            return SingleRender(shotID: shotID, hash: hashed.hash, seed: hashed.seed, cached: true, artifact: artifact)
        }
        let request = RenderRequest(shotID: shotID, version: 0, hash: hashed.hash, spec: hashed.spec, seed: hashed.seed)
        let image = try await provider.render(request)
        let stored = try ArtifactFiles(projectDirectory: store.directory).store(
            image.bytes, fileExtension: RenderRunner.fileExtension(image.mime), sha256: image.sha256)
        let artifact = Artifact(
            hash: hashed.hash, path: stored.path, imageSHA256: stored.sha256, mime: image.mime, width: image.width, height: image.height,
            byteCount: image.bytes.count, provider: provider.name, createdAt: clock())
        try store.insertArtifact(artifact, compiledPrompt: image.sentPrompt)
        // The first artifact stored for a hash wins (another request may have rendered it meanwhile).
        return SingleRender(shotID: shotID, hash: hashed.hash, seed: hashed.seed, cached: false, artifact: try store.artifact(for: hashed.hash) ?? artifact)
    }
}

extension Engine {
    /// The image rendered for a spec hash, if any (the cache is content-addressed by hash).
    public func artifact(forHash hash: String) throws -> Artifact? {
        try store.artifact(for: hash)
    }
}
