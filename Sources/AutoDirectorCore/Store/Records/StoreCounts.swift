/// Row counts of the main tables, for health (SPEC §12).
public struct StoreCounts: Sendable, Equatable, Codable {
    public var batches: Int
    public var shots: Int
    public var versions: Int
    public var jobs: Int
    public var artifacts: Int
    public var reviewActions: Int
}
