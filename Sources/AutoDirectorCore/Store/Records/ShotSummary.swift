/// A row of the batch table: a shot with its latest version's state.
public struct ShotSummary: Sendable, Equatable {
    public var shot: Shot
    public var hash: String
    public var renderStatus: RenderStatus
    public var review: ReviewStatus
    /// The approval stages that have approved the latest version (a project with stages).
    public var approvedStages: [String] = []
    /// Changed by someone else since the reviewer's last visit (`ShotQuery.lastVisit`).
    public var isNew = false
}
