import Foundation

/// What a render produced for a spec hash (SPEC §1); shared by every version with that hash.
public struct Artifact: Sendable, Equatable {
    public var hash: String
    /// Relative to the project directory.
    public var path: String
    public var imageSHA256: String
    public var mime: String
    public var width: Int?
    public var height: Int?
    public var byteCount: Int
    public var provider: String
    public var createdAt: Date
    /// What the provider answered with the render (JSON text), when it was read with it.
    public var providerMeta: String?
    /// The structured prompt the provider was sent, when it recorded it and it was read.
    public var compiledPrompt: String?

    public init(
        hash: String, path: String, imageSHA256: String, mime: String, width: Int?, height: Int?, byteCount: Int,
        provider: String, createdAt: Date
    ) {
        self.hash = hash
        self.path = path
        self.imageSHA256 = imageSHA256
        self.mime = mime
        self.width = width
        self.height = height
        self.byteCount = byteCount
        self.provider = provider
        self.createdAt = createdAt
    }
}
