import Foundation
import Synchronization

/// Runs one render job (SPEC §7): cache by hash before any provider call, each distinct hash
/// rendered once, bounded concurrency with structured concurrency, a timeout per attempt,
/// retries per `RetryPolicy`. An item is finished when its state and artifact are committed
/// together, so a job interrupted at any moment resumes without rendering finished items again.
///
/// The parts: `RenderRequestStream` reads the queued requests page by page, `HashGroups` makes
/// identical specs render once, `HashRenderer` renders one hash, `OutcomeBuffer` maps results to
/// item states and counts them, `CommitQueue` writes them beside the renders. This type only
/// runs the loop that joins them; every store call goes through `Blocking` (see
/// `Concurrency/README.md`).
struct RenderRunner: Sendable {
    let store: any ProjectStore
    let provider: any RenderProvider
    let settings: RenderSettings
    let clock: @Sendable () -> Date
    /// On a shared project: items are claimed under leases, and written only while held.
    let lease: RenderLeaseSettings?
    /// Set when the process is told to stop gracefully: nothing new is claimed or started,
    /// renders in flight finish.
    let drain: StopSignal?
    private let renderer: HashRenderer
    /// Requests read per page.
    static let pageSize = 1024

    init(
        store: any ProjectStore, files: ArtifactFiles, provider: any RenderProvider, settings: RenderSettings,
        lease: RenderLeaseSettings? = nil, drain: StopSignal? = nil, clock: @escaping @Sendable () -> Date
    ) {
        self.store = store
        self.provider = provider
        self.settings = settings
        self.clock = clock
        self.lease = lease
        self.drain = drain
        renderer = HashRenderer(files: files, provider: provider, settings: settings)
    }

    /// Items claimed at once under a lease: what this box can start soon, so that the others
    /// find the rest (an in-process provider renders slices of 64 per task).
    private var claimSize: Int { min(Self.pageSize, settings.concurrency * (provider.canHang ? 1 : 64)) }

    func run(jobID: Int64, events: AsyncStream<RenderEvent>.Continuation?) async throws -> RenderJob.State {
        let (store, clock, providerName) = (self.store, self.clock, provider.name)
        let (job, rendered) = try await Blocking.run { () throws -> (RenderJob, Set<String>) in
            try store.startJob(jobID, provider: providerName, at: clock())
            guard let job = try store.job(jobID) else { throw EngineError.unknownJob(jobID) }
            return (job, job.force ? [] : try store.renderedHashes(inJob: jobID))
        }
        let started = ContinuousClock.now
        var loop = JobLoop(
            runner: self, jobID: jobID, events: events, rendered: rendered,
            requests: try await RenderRequestStream.open(
                store: store, jobID: jobID, pageSize: lease == nil ? Self.pageSize : claimSize, claiming: lease),
            groups: HashGroups(expected: job.counts[.queued] ?? 0),
            outcomes: OutcomeBuffer(
                progress: RenderProgress(
                    jobID: jobID, total: job.total, done: job.counts[.done] ?? 0, cached: job.counts[.cached] ?? 0,
                    failed: (job.counts[.failed] ?? 0) + (job.counts[.blocked] ?? 0), providerCalls: 0, retries: 0, elapsed: 0),
                flushEvery: settings.flushEvery, flushInterval: settings.flushInterval, now: started),
            started: started)
        events?.yield(.started(jobID: jobID, total: job.total))
        // Commits run beside the renders; an item counts as finished once its commit is done.
        let commits = CommitQueue()
        do {
            try await loop.run(commits: commits)
            try await loop.commit(into: commits, reporting: false)
            try await commits.drain()
        } catch {
            // Nothing submitted is still being written once this returns, and a commit that
            // failed as well is reported with the error that stopped the loop.
            try? await commits.drain()
            throw CommitQueue.combined(error, with: commits.failure)
        }
        var progress = loop.outcomes.progress
        progress.elapsed = (ContinuousClock.now - started).seconds
        if let lease {
            // Other boxes may still hold items of the job: the one that ends the last closes it.
            // What this box claimed and did not start is given back by its worker loop.
            let state = try await Blocking.run {
                try lease.leases.closeJobIfDone(jobID, at: clock(), decide: \.finalState) ?? .running
            }
            events?.yield(.finished(jobID: jobID, state: state, progress: progress))
            return state
        }
        if (Task.isCancelled || drain?.isStopped == true || settings.budget?.isExhausted == true) && !loop.cancelledByUser {
            // The process is stopping (the TUI quits, a worker's SIGTERM): the job waits to
            // resume, nothing is lost.
            try await Blocking.run { try store.pauseJob(jobID) }
            events?.yield(.finished(jobID: jobID, state: .queued, progress: progress))
            return .queued
        }
        let state = try await Blocking.run { try store.finishJob(jobID, at: clock(), decide: \.finalState) }
        events?.yield(.finished(jobID: jobID, state: state, progress: progress))
        return state
    }

    /// What a child task of the loop finished with.
    private enum Finished: Sendable {
        case page(RenderRequestStream.Page)
        case rendered([(group: Int, result: HashResult)])
    }

    /// The state of one run of a job's loop: requests come in by page; each is cached, settled
    /// by its hash's earlier end, or joins a hash group; groups render in slices as child
    /// tasks, at most `concurrency` at once, with one page read ahead while few groups wait.
    private struct JobLoop {
        let runner: RenderRunner
        let jobID: Int64
        let events: AsyncStream<RenderEvent>.Continuation?
        /// Hashes rendered before this job (empty for a forced job).
        let rendered: Set<String>
        var requests: RenderRequestStream
        var groups: HashGroups
        var outcomes: OutcomeBuffer
        let started: ContinuousClock.Instant
        /// Cancelled by a user (`autodirector cancel`, possibly from another process).
        var cancelledByUser = false
        /// A page read is in flight (one at a time: each starts after the last item of the one before).
        var readingPage = false
        /// Slices of renders in flight.
        var rendering = 0

        private var stopping: Bool {
            cancelledByUser || Task.isCancelled || runner.drain?.isStopped == true || runner.settings.budget?.isExhausted == true
        }

        /// A provider that can hang (the network) gets one task per render; an in-process one
        /// renders a slice of hashes per task, so task overhead does not dominate.
        private var slice: Int { runner.provider.canHang ? 1 : 64 }

        private var concurrency: Int {
            let settings = runner.settings
            guard settings.background && !runner.provider.canHang else { return settings.concurrency }
            // Behind an interactive UI an in-process provider leaves one core free.
            return min(settings.concurrency, max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
        }

        mutating func run(commits: CommitQueue) async throws {
            let submissions = SubmissionWriter(store: runner.store, clock: runner.clock)
            try await withThrowingTaskGroup(of: Finished.self) { tasks in
                startWork(&tasks, submissions)
                while let finished = try await tasks.next() {
                    switch finished {
                    case .page(let page):
                        readingPage = false
                        requests.received(page)
                        // After a user's cancel the rest stays as the cancel left it.
                        if !cancelledByUser { for request in page.requests { take(request) } }
                        // No room under the cap: what this box finished holds some until committed.
                        if page.waitingForRoom { try await commit(into: commits, reporting: true) }
                    case .rendered(let results):
                        rendering -= 1
                        // The database went away under a render: not the item's failure. The
                        // loop ends as an outage ends it — a worker waits for the database and
                        // gives back what it held; the submission journal decides what is sent again.
                        if let outage = results.lazy.compactMap(\.result.outage).first { throw outage }
                        for (id, result) in results { settle(id, result) }
                    }
                    if outcomes.isDue(at: .now) { try await commit(into: commits, reporting: true) }
                    if cancelledByUser { tasks.cancelAll() } else { startWork(&tasks, submissions) }
                }
            }
        }

        /// Groups waiting below which the next page is read. A box under leases keeps less in
        /// reserve: what it claimed and has not started is work the other boxes cannot take,
        /// and is stranded for a lease if it dies.
        private var readAhead: Int { runner.lease == nil ? 2 * requests.pageSize : max(1, requests.pageSize / 2) }

        /// Starts a page read while few groups wait, and renders up to `concurrency`.
        private mutating func startWork(_ tasks: inout ThrowingTaskGroup<Finished, any Error>, _ submissions: SubmissionWriter) {
            guard !stopping else { return }
            if !requests.isFinished, !readingPage, groups.waitingCount < readAhead {
                let read = requests.nextPage
                tasks.addTask { .page(try await read()) }
                readingPage = true
            }
            while rendering < concurrency, groups.hasWaiting {
                let canHang = runner.provider.canHang
                let jobID = self.jobID
                var slice = groups.next(slice).map { id, group in
                    var request = group.first
                    if canHang {
                        let keys = group.all.map { VersionKey(shotID: $0.shotID, version: $0.version) }
                        let leases = group.first.leaseAttempt == nil
                            ? nil : group.all.map { ItemLease(itemID: $0.jobItemID, attempt: $0.leaseAttempt ?? 0) }
                        request.journal = submissions.journal(jobID: jobID, items: keys, leases: leases, stored: request.submission)
                        request.pacer = runner.lease?.pacer
                    }
                    return (id, request)
                }
                if let budget = runner.settings.budget {
                    // Only what fits the budget is sent; the rest stays queued for the job to resume.
                    let admitted = budget.admit(slice.map { GenerationParameters(member: $0.1.specMember(GenerationParameters.key)) })
                    slice = Array(slice.prefix(admitted))
                    if slice.isEmpty { return }
                }
                let renderer = runner.renderer
                tasks.addTask {
                    var results: [(group: Int, result: HashResult)] = []
                    for (id, request) in slice { results.append((id, await renderer.render(request))) }
                    return .rendered(results)
                }
                rendering += 1
            }
        }

        /// A request from the stream: cached, settled by its hash's end in this job, or grouped.
        private mutating func take(_ request: RenderRequest) {
            if !rendered.isEmpty && rendered.contains(request.hash) {
                outcomes.cached(request)
            } else if let earlier = groups.add(request) {
                outcomes.settled(request, as: earlier)
            }
        }

        /// A group's render ended: its requests settle, and later ones with its hash will too.
        private mutating func settle(_ id: Int, _ result: HashResult) {
            let settlement = result.cancelled || result.leaseLost
                ? nil : HashGroups.Settlement(state: result.state, error: result.failure?.message)
            guard let group = groups.close(id, settlement: settlement) else { return }
            // Stopped by its own process (not cancelled by a user): the items stay queued, to
            // render when the job resumes.
            if result.cancelled && !cancelledByUser && Task.isCancelled {
                outcomes.countCalls(of: result)
                return
            }
            for failure in outcomes.rendered(group, result) { events?.yield(failure) }
        }

        /// Commits what is pending; with `reporting`, reports progress and looks whether another
        /// process cancelled the job.
        mutating func commit(into commits: CommitQueue, reporting: Bool) async throws {
            let batch = outcomes.take(at: .now)
            let (store, jobID, clock, lease) = (runner.store, self.jobID, runner.clock, runner.lease)
            if !batch.isEmpty {
                try await commits.submit {
                    // Items whose lease was lost are not written: the box that took them over will.
                    if let lease { _ = try lease.leases.recordLeasedOutcomes(batch, jobID: jobID, at: clock()) } else {
                        try store.recordOutcomes(batch, jobID: jobID, at: clock())
                    }
                }
            }
            guard reporting else { return }
            outcomes.setElapsed((ContinuousClock.now - started).seconds)
            events?.yield(.progress(outcomes.progress))
            if try await Blocking.run({ try store.jobState(jobID) }) == .cancelled { cancelledByUser = true }
        }
    }
}
