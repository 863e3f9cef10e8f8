/// The offline provider (SPEC §7): deterministic and instant, it draws a real image from the
/// spec (see `MockImageSynthesizer`). The same hash always gives byte-identical PNG bytes.
public struct MockProvider: RenderProvider {
    public let name = "mock"

    public init() {}

    public func render(_ request: RenderRequest) async throws -> RenderedImage {
        try Self.image(for: request)
    }

    /// The synchronous core, shared by `render` and by callers that batch renders themselves.
    public static func image(for request: RenderRequest) throws -> RenderedImage {
        let image = MockImageSynthesizer.image(for: request.spec, hash: request.hash)
        let bytes = try PNGCodec.encode(image)
        let metadata: JSONObject = [
            "provider": "mock", "seed": .number(Double(request.seed)),
            "preview_of": [
                "width": .number(Double(request.spec["output"]?["width"]?.numberValue ?? 0)),
                "height": .number(Double(request.spec["output"]?["height"]?.numberValue ?? 0)),
            ],
        ]
        return RenderedImage(bytes: bytes, mime: "image/png", width: image.width, height: image.height, metadata: metadata)
    }
}
