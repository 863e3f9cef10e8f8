/// Which rows of the batch table to fetch: a window of shots, filtered and sorted, so a view
/// of 100k shots only ever loads the rows it shows.
public struct ShotQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case source, id, subject, review, status
    }

    public var batchID: String?
    /// Matches a shot id or subject (substring, case-insensitive), or exactly a review or render status.
    public var filter: String
    public var sort: Sort
    public var offset: Int
    public var limit: Int

    public init(batchID: String? = nil, filter: String = "", sort: Sort = .source, offset: Int = 0, limit: Int = 100) {
        self.batchID = batchID
        self.filter = filter
        self.sort = sort
        self.offset = max(0, offset)
        self.limit = max(0, limit)
    }
}
