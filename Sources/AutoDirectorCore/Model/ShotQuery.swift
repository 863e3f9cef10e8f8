import Foundation

/// Which rows of the batch table to fetch: a window of shots, filtered and sorted, so a view
/// of 100k shots only ever loads the rows it shows.
public struct ShotQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case source, id, subject, review, status
    }

    public var batchID: String?
    /// Terms that must all hold (`ShotFilter`): `status:pending assignee:@me mug`.
    public var filter: String
    public var sort: Sort
    public var offset: Int
    public var limit: Int
    /// Only shots assigned to this reviewer.
    public var assignee: String?
    /// Only shots whose latest version waits for a decision (pending): with `assignee`, a
    /// reviewer's queue.
    public var awaitingDecision: Bool
    /// Who is looking (`assignee:@me` in the filter; their own changes are not new to them).
    public var reviewer: String
    /// Their previous visit: rows changed since by others are marked (`ShotSummary.isNew`), and
    /// the filter's `new` means changed since then. Nil: nothing is marked.
    public var lastVisit: Date?

    public init(
        batchID: String? = nil, filter: String = "", sort: Sort = .source, offset: Int = 0, limit: Int = 100, assignee: String? = nil,
        awaitingDecision: Bool = false, reviewer: String = "", lastVisit: Date? = nil
    ) {
        self.reviewer = reviewer
        self.lastVisit = lastVisit
        self.batchID = batchID
        self.filter = filter
        self.sort = sort
        self.offset = max(0, offset)
        self.limit = max(0, limit)
        self.assignee = assignee
        self.awaitingDecision = awaitingDecision
    }
}
