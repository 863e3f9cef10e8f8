/// An artifact row as the render engine writes it (see `ArtifactRows`).
struct StoredArtifact: Sendable {
    var hash: String
    var path: String
    var imageSHA256: String
    var mime: String
    var width: Int?
    var height: Int?
    var byteCount: Int
    var provider: String
    /// Provider metadata as JSON text; nil when the provider said nothing.
    var metadata: String?
    var compiledPrompt: String?
}
