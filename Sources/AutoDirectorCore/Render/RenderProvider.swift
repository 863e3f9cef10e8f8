/// What a provider is asked to render: the stored spec, its compiled FIBO prompt and its seed
/// (SPEC §7).
public struct RenderRequest: Sendable {
    public var shotID: String
    public var version: Int
    public var hash: String
    public var spec: JSONObject
    public var prompt: JSONObject
    public var seed: UInt32

    public init(shotID: String, version: Int, hash: String, spec: JSONObject, prompt: JSONObject, seed: UInt32) {
        self.shotID = shotID
        self.version = version
        self.hash = hash
        self.spec = spec
        self.prompt = prompt
        self.seed = seed
    }
}

/// What a provider returns: the image and what it says about it.
public struct RenderedImage: Sendable {
    public var bytes: [UInt8]
    public var mime: String
    public var width: Int
    public var height: Int
    /// Provider facts worth keeping (request id, model, sizes), never credentials.
    public var metadata: JSONObject

    public init(bytes: [UInt8], mime: String, width: Int, height: Int, metadata: JSONObject) {
        self.bytes = bytes
        self.mime = mime
        self.width = width
        self.height = height
        self.metadata = metadata
    }
}

/// A render backend: `mock` (offline) or `bria` (Bria API v2).
public protocol RenderProvider: Sendable {
    var name: String { get }
    func render(_ request: RenderRequest) async throws -> RenderedImage
}
