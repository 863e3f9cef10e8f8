/// The review policy's decision about one candidate.
enum ReviewVerdict {
    /// Log the new status.
    case change
    /// The version has the status already: nothing is logged.
    case unchanged
    /// The whole action is refused, for this reason.
    case refused(EngineError)
}
