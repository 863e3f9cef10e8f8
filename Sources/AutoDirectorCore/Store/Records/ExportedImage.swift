import Foundation

/// A rendered version's image: its path in the project, MIME type and SHA-256, and what its
/// render recorded (for the provenance an exported picture carries).
public struct ExportedImage: Sendable, Equatable {
    public var path: String
    public var mime: String
    public var sha256: String
    public var provider: String = ""
    /// The provider's facts as stored with the render (JSON text), never credentials.
    public var providerMeta: String?
    /// The structured prompt the provider was sent, when it recorded it.
    public var compiledPrompt: String?
    public var renderedAt: Date?
}
