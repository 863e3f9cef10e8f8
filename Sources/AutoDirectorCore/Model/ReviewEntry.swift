import Foundation

/// One entry of the append-only review audit log.
public struct ReviewEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var shotID: String
    public var version: Int
    public var status: ReviewStatus
    public var previousStatus: ReviewStatus
    public var note: String?
    public var reviewer: String
    public var at: Date
    /// Set when this entry undoes an earlier one.
    public var undoes: Int64?
    /// The review action the entry belongs to (one action may review many versions).
    public var actionID: Int64
    /// The approval stage the decision was made at (a project with stages; nil otherwise).
    public var stage: String?

    public init(
        id: Int64, shotID: String, version: Int, status: ReviewStatus, previousStatus: ReviewStatus,
        note: String?, reviewer: String, at: Date, undoes: Int64? = nil, actionID: Int64 = 0,
        stage: String? = nil
    ) {
        self.stage = stage
        self.id = id
        self.actionID = actionID
        self.shotID = shotID
        self.version = version
        self.status = status
        self.previousStatus = previousStatus
        self.note = note
        self.reviewer = reviewer
        self.at = at
        self.undoes = undoes
    }
}
