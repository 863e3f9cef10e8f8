/// A rendered version's image: its path in the project, MIME type and SHA-256.
public struct ExportedImage: Sendable, Equatable {
    public var path: String
    public var mime: String
    public var sha256: String
}
