/// What a plan did to a batch.
public struct PlanSummary: Sendable, Equatable, Codable {
    public var batchID: String
    public var shots: Int
    /// Shots planned for the first time (version 1).
    public var created: Int
    /// Shots whose planned spec changed: a new version each.
    public var updated: Int
    public var unchanged: Int
    /// Updated shots whose latest version was a patch: the new planned version does not carry it.
    public var replacedPatches: Int = 0
}
