import Foundation

extension Engine {
    /// Step 2 and 3 of a `SingleRender` through the worker pool's own renderer (`HashRenderer`):
    /// each attempt bounded by `settings.itemTimeout` when the provider can hang, failures
    /// retried by `settings.retry`, the image stored content-addressed, then recorded for its
    /// hash. `provider` is the caller's, kept for its life (a service's one HTTP client), so a
    /// render on its own follows the same limits as every render of a job.
    public func render(_ prepared: PreparedRender, provider: any RenderProvider, settings: RenderSettings) async throws -> SingleRender {
        if let cached = prepared.cachedResult { return cached }
        let renderer = HashRenderer(files: artifacts, provider: provider, settings: settings)
        let result = await renderer.render(prepared.request)
        if result.cancelled { throw CancellationError() }
        if let outage = result.outage { throw outage }
        guard let stored = result.artifact else {
            throw result.failure ?? RenderFailure(.terminal, "the provider returned no image")
        }
        let (request, store, clock) = (prepared.request, self.store, self.clock)
        return try await Blocking.run {
            var artifact = Artifact(
                hash: stored.hash, path: stored.path, imageSHA256: stored.imageSHA256, mime: stored.mime, width: stored.width,
                height: stored.height, byteCount: stored.byteCount, provider: stored.provider, createdAt: clock())
            artifact.providerMeta = stored.metadata
            // No job records this call: it is recorded with its image, billed.
            try store.insertArtifact(artifact, compiledPrompt: stored.compiledPrompt, call: DirectRenderCall(rendering: request))
            // The first stored for a hash wins, should two requests have rendered it.
            return SingleRender(
                shotID: request.shotID, hash: request.hash, seed: request.seed, cached: false, artifact: try store.artifact(for: request.hash) ?? artifact)
        }
    }
}
