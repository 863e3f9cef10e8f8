/// What a running render job has settled but not yet committed, with the job's running counts.
/// Every request ends here, by one of three ways — its hash rendered before this job (cached),
/// earlier in this job (it takes that hash's end), or by a render of its own group — and
/// this is the one place that maps how a hash ended to each request's state and counts it.
struct OutcomeBuffer {
    private(set) var progress: RenderProgress
    private var pending: [ItemOutcome] = []
    private let flushEvery: Int
    private let flushInterval: Duration
    private var lastFlush: ContinuousClock.Instant

    /// `progress`: the counts the job had when it started (a resumed job has some).
    init(progress: RenderProgress, flushEvery: Int, flushInterval: Double, now: ContinuousClock.Instant) {
        self.progress = progress
        self.flushEvery = max(1, flushEvery)
        self.flushInterval = .milliseconds(Int((flushInterval * 1000).rounded()))
        lastFlush = now
    }

    var pendingCount: Int { pending.count }

    /// A request whose hash has an artifact from before this job: done with no provider call.
    mutating func cached(_ request: RenderRequest) {
        append(request, hashState: .done, rendered: false, attempts: 0, error: nil, durationMS: 0, artifact: nil)
    }

    /// A request whose hash already ended in this job, as `settlement` says.
    mutating func settled(_ request: RenderRequest, as settlement: HashGroups.Settlement) {
        append(request, hashState: settlement.state, rendered: false, attempts: 0, error: settlement.error, durationMS: 0, artifact: nil)
    }

    /// The requests of a group whose render ended: the first is the one that rendered, the rest
    /// share its result. Returns one failure event per request that failed.
    mutating func rendered(_ group: HashGroups.Group, _ result: HashResult) -> [RenderEvent] {
        countCalls(of: result)
        var failures: [RenderEvent] = []
        func settle(_ request: RenderRequest, rendered: Bool) {
            let state = append(
                request, hashState: result.state, rendered: rendered, attempts: result.attempts, error: result.failure?.message,
                durationMS: result.durationMS, artifact: rendered ? result.artifact : nil)
            if state == .failed || state == .blocked {
                failures.append(.itemFailed(
                    jobID: progress.jobID, shotID: request.shotID, version: request.version, message: result.failure?.message ?? "failed"))
            }
        }
        settle(group.first, rendered: true)
        for request in group.more { settle(request, rendered: false) }
        return failures
    }

    /// Counts a render's provider calls; alone, for a render stopped with its process, whose
    /// requests stay queued (the calls were made all the same).
    mutating func countCalls(of result: HashResult) {
        progress.providerCalls += result.attempts
        progress.retries += max(0, result.attempts - 1)
    }

    /// Whether enough has settled, or enough time passed since the last take, to commit (and
    /// to report progress and look for a cancellation: it may be due with nothing pending).
    func isDue(at now: ContinuousClock.Instant) -> Bool {
        pending.count >= flushEvery || now - lastFlush >= flushInterval
    }

    /// Hands over what is pending, to commit, and restarts the interval.
    mutating func take(at now: ContinuousClock.Instant) -> [ItemOutcome] {
        lastFlush = now
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    mutating func setElapsed(_ seconds: Double) { progress.elapsed = seconds }

    /// The state of a request whose hash ended as `hashState`: only the request that rendered is
    /// done; the others with that hash were served by its render, and are cached.
    static func state(forHashState hashState: JobItem.State, rendered: Bool) -> JobItem.State {
        hashState == .done && !rendered ? .cached : hashState
    }

    @discardableResult
    private mutating func append(
        _ request: RenderRequest, hashState: JobItem.State, rendered: Bool, attempts: Int, error: String?, durationMS: Int,
        artifact: StoredArtifact?
    ) -> JobItem.State {
        let state = Self.state(forHashState: hashState, rendered: rendered)
        switch state {
        case .done: progress.done += 1
        case .cached: progress.cached += 1
        case .failed, .blocked: progress.failed += 1
        case .queued, .running, .cancelled: break
        }
        pending.append(ItemOutcome(itemID: request.jobItemID, state: state, attempts: attempts, error: error, durationMS: durationMS, artifact: artifact,
            leaseAttempt: request.leaseAttempt))
        return state
    }
}
