import Foundation

/// A forced re-render of a hash whose picture came out other than the one stored, which stays
/// the hash's picture: FIBO did not reproduce it (SPEC §18).
public struct RenderDriftRecord: Sendable, Equatable {
    public var hash: String
    /// The SHA-256 of the other picture, and where its file lies in the project.
    public var imageSHA256: String
    public var path: String
    public var createdAt: Date

    public init(hash: String, imageSHA256: String, path: String, createdAt: Date) {
        self.hash = hash
        self.imageSHA256 = imageSHA256
        self.path = path
        self.createdAt = createdAt
    }
}
