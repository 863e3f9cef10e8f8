import Synchronization

/// The offline provider (SPEC §7): deterministic and instant, it draws a real image from the
/// spec (see `MockImageSynthesizer`). The same hash always gives byte-identical PNG bytes.
///
/// An internal-mode image depends only on the spec's look and its seed's variation (not on the
/// shot's identity), so images are kept by look key and variation: a batch of 100k shots with a
/// handful of looks draws a handful of pictures per look.
public final class MockProvider: RenderProvider {
    public let name = "mock"
    /// Simulated provider latency per render (`FIBO_MOCK_LATENCY_MS`), for demos and for
    /// exercising progress, cancellation and crash recovery with a provider that takes time.
    public let latency: Duration
    private let byLook = Mutex<[String: RenderedImage]>([:])
    private static let cacheLimit = 512

    public init(latency: Duration = .zero) {
        self.latency = latency
    }

    /// With a simulated latency it behaves like a remote provider: one render per task, each
    /// with a timeout.
    public var canHang: Bool { latency > .zero }

    public func render(_ request: RenderRequest) async throws -> RenderedImage {
        if latency > .zero { try await Task.sleep(for: latency) }
        let internalMode = request.specMember("structured_prompt") == nil
        // The metadata too depends only on the look: a kept image is returned as it is.
        let key = request.lookKey.map { "\($0)#\(request.seed % MockImageSynthesizer.variations)" }
        if internalMode, let key, let image = byLook.withLock({ $0[key] }) {
            return image
        }
        var image = try Self.image(for: request)
        if internalMode, let key {
            image.sha256 = SHA256Hex.digest(image.bytes)
            byLook.withLock { cache in
                if cache.count >= Self.cacheLimit { cache.removeAll() }
                cache[key] = image
            }
        }
        return image
    }

    /// The synchronous core.
    public static func image(for request: RenderRequest) throws -> RenderedImage {
        let image = MockImageSynthesizer.image(for: request.spec, hash: request.hash)
        let bytes = try PNGCodec.encode(image)
        return stamped(RenderedImage(bytes: bytes, mime: "image/png", width: image.width, height: image.height, metadata: [:]), request)
    }

    private static func stamped(_ image: RenderedImage, _ request: RenderRequest) -> RenderedImage {
        var image = image
        // Nothing per shot here (the seed is in the version): one metadata text per look.
        image.metadata = [
            "provider": "mock",
            "preview_of": [
                "width": .number(request.specMember("output")?["width"]?.numberValue ?? 0),
                "height": .number(request.specMember("output")?["height"]?.numberValue ?? 0),
            ],
        ]
        return image
    }
}

/// Offline, the mock answers for Bria's prompt model too (`MockPromptModel`).
extension MockProvider: PromptModel {
    public func structuredPrompt(for request: PromptModelRequest) async throws -> JSONObject {
        MockPromptModel.answer(request)
    }
}
