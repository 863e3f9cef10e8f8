/// How a job ends (the engine's policy; the store only reports what it holds and writes the
/// answer in the same transaction): a cancelled job stays cancelled; any item failed, blocked or
/// cancelled makes it failed; otherwise it is done.
struct JobClosing: Sendable, Equatable {
    /// The job's state when it is closed.
    var current: RenderJob.State
    /// Its items that failed, were blocked or were cancelled.
    var unsuccessfulItems: Int

    var finalState: RenderJob.State {
        if current == .cancelled { return .cancelled }
        return unsuccessfulItems > 0 ? .failed : .done
    }

    /// The item states that make a job failed.
    static let unsuccessful: [JobItem.State] = [.failed, .blocked, .cancelled]
}
