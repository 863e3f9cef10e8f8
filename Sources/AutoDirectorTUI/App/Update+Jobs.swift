import AutoDirectorCore

/// The render job context: the keys that start and stop renders, and the job line driven by
/// this process's render events or, when another process renders, by polls.
extension Update {
    static func job(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .rerender:
            // A selection is confirmed once its provider calls are counted; the shot under the
            // cursor is re-rendered at once (the interpreter still keeps to the budget).
            let targets = state.targets
            guard !targets.isEmpty else { return nothing(&state) }
            guard !state.selection.isEmpty else { return [.rerender(targets)] }
            state.message = "Counting the provider calls of \(targets.count == 1 ? targets[0] : "\(targets.count) shots")…"
            state.messageIsError = false
            return [.estimateRerender(targets)]
        case .cancelJob:
            guard let job = state.job, job.running else {
                state.message = "No job is running."
                state.messageIsError = false
                return []
            }
            state.confirmation = .cancelJob(job.progress.jobID)
            return []
        default:
            // Not a job key: the table routes only the two above here.
            return []
        }
    }

    static func render(_ event: RenderEvent, _ state: inout AppState) -> [Effect] {
        switch event {
        case .started(let jobID, let total):
            state.renderingHere = true
            state.renderRefreshedAt = nil
            state.job = JobStatus(
                progress: RenderProgress(jobID: jobID, total: total, done: 0, cached: 0, failed: 0, providerCalls: 0, retries: 0, elapsed: 0),
                running: true, state: "running", lastFailure: nil)
            return []
        case .progress(let progress):
            state.renderingHere = true
            let failure = state.job?.lastFailure
            state.job = JobStatus(progress: progress, running: true, state: "running", lastFailure: failure)
            // The render's own commits: the rows show them (and the detail, only when the shown
            // shot's row changed). The time is the event's, so this stays free of a clock.
            if let last = state.renderRefreshedAt, progress.elapsed - last < state.renderRefreshInterval.seconds { return [] }
            state.renderRefreshedAt = progress.elapsed
            return reload(&state)
        case .itemFailed(_, let shotID, let version, let message):
            state.job?.lastFailure = "\(shotID) v\(version): \(message)"
            return []
        case .finished(let jobID, let jobState, let progress):
            state.renderingHere = false
            let failure = state.job?.lastFailure
            state.job = JobStatus(progress: progress, running: false, state: jobState.rawValue, lastFailure: failure)
            state.message = "Job \(jobID) \(jobState.rawValue): \(progress.done) rendered, \(progress.cached) cached, \(progress.failed) failed."
            state.messageIsError = jobState != .done
            return reload(&state)
        }
    }

    /// Also after a render that failed before it could say `.finished`.
    static func renderStopped(_ state: inout AppState) -> [Effect] {
        state.renderingHere = false
        return [.loadJob]
    }

    static func jobLoaded(_ job: JobStatus?, _ state: inout AppState) -> [Effect] {
        // A render of this process reports itself through render events, which are fresher.
        if state.renderingHere { return [] }
        if let job { state.job = job }
        return []
    }
}
