/// The outcome of one review action over one or more shots.
public struct ReviewOutcome: Sendable, Equatable {
    public var actionID: Int64?
    /// (shot, version) pairs whose status changed.
    public var changed: [ReviewTarget]
    /// Pairs that already had the requested status: nothing was logged for them.
    public var unchanged: [ReviewTarget]
}
