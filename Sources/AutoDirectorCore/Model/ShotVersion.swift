import Foundation

/// An immutable shot spec (SPEC §1): versions of a shot are numbered 1, 2, 3…
public struct ShotVersion: Sendable, Equatable {
    public enum Origin: String, Sendable, Codable {
        case plan, patch, storyboard
        /// Bria's prompt model rewrote the parent's structured prompt from a note (SPEC §18).
        case refine
        /// Bria's prompt model read a picture.
        case inspire
        /// A seed variant of the parent, picked.
        case variant
    }

    public var shotID: String
    public var number: Int
    public var hash: String
    public var parentHash: String?
    public var seed: UInt32
    /// The hashed spec (internal or structured-prompt mode), seed included.
    public var spec: JSONObject
    public var rulesApplied: [AppliedRule]
    public var origin: Origin
    public var createdAt: Date
    public var renderStatus: RenderStatus
    public var review: ReviewStatus
    public var reviewNote: String?
    public var reviewer: String?
    public var reviewedAt: Date?
    /// The approval stages that have approved this version (a project with stages).
    public var approvedStages: [String]

    public init(
        shotID: String, number: Int, hash: String, parentHash: String?, seed: UInt32, spec: JSONObject,
        rulesApplied: [AppliedRule], origin: Origin, createdAt: Date, renderStatus: RenderStatus = .notRendered,
        review: ReviewStatus = .pending, reviewNote: String? = nil, reviewer: String? = nil, reviewedAt: Date? = nil,
        approvedStages: [String] = []
    ) {
        self.approvedStages = approvedStages
        self.shotID = shotID
        self.number = number
        self.hash = hash
        self.parentHash = parentHash
        self.seed = seed
        self.spec = spec
        self.rulesApplied = rulesApplied
        self.origin = origin
        self.createdAt = createdAt
        self.renderStatus = renderStatus
        self.review = review
        self.reviewNote = reviewNote
        self.reviewer = reviewer
        self.reviewedAt = reviewedAt
    }

    /// The first 12 hex digits, as tables show it (SPEC §2).
    public var shortHash: String { String(hash.prefix(12)) }
}

/// Render state of a version, derived from the artifact cache and the render jobs (SPEC §7).
public enum RenderStatus: String, Sendable, Codable {
    case notRendered = "not_rendered"
    case queued, running, rendered, failed, blocked, cancelled
}
