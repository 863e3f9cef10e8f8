/// A window of the batch table and how many rows match in all.
public struct ShotPage: Sendable, Equatable {
    public var total: Int
    public var offset: Int
    public var rows: [ShotSummary]

    public init(total: Int, offset: Int, rows: [ShotSummary]) {
        self.total = total
        self.offset = offset
        self.rows = rows
    }
}
