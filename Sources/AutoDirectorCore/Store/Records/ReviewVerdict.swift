/// The review policy's decision about one candidate.
enum ReviewVerdict: Equatable {
    /// Log the version's new status and the stages that have approved it.
    case change(ReviewStatus, stages: [String])
    /// The version has the status already: nothing is logged.
    case unchanged
    /// The whole action is refused, for this reason.
    case refused(EngineError)
}
