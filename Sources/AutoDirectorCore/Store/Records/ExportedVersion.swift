/// What an export needs of one version: its identity, its review, and its image when rendered.
/// No spec: a bundle lists hashes and seeds, so the stored rows are never decoded.
public struct ExportedVersion: Sendable, Equatable {
    public var shotID: String
    public var number: Int
    public var hash: String
    public var seed: UInt32
    public var renderStatus: RenderStatus
    public var review: ReviewStatus
    public var reviewer: String?
    public var note: String?
    public var image: ExportedImage?
}
