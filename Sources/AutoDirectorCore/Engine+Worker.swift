import Foundation

/// Who a render box is, for `autodirector workers` and `jobs JOB`.
public struct WorkerOptions: Sendable {
    /// The box's name (`worker --name`; default: the machine's host name).
    public var name: String
    /// How long the box waits between looks for new work when there is none (a worker). On a
    /// shared project that LISTENs, another process's commit (a job queued) ends the wait at once.
    public var idlePoll: Duration = .seconds(1)
    /// Hears that the database could not be reached, and how long the box waits before trying
    /// again (a worker waits and goes on; a `render` fails).
    public var onOutage: (@Sendable (StoreError, Duration) -> Void)? = nil

    public init(name: String) { self.name = name }

    public static var defaultName: String { ProcessInfo.processInfo.hostName }
}

extension Engine {
    /// A render box: renders every pending job and, with `keepWaiting`, goes on waiting for new
    /// work until `stop` is set (SIGTERM). On a shared project it claims items under leases
    /// beside any number of other boxes; on the embedded project it is the one renderer.
    /// After `stop`, renders in flight finish and nothing new starts; what this box claimed and
    /// did not start goes back to the queue.
    public func runWorker(
        provider: any RenderProvider, settings: RenderSettings, options: WorkerOptions, keepWaiting: Bool, stop: StopSignal,
        events: AsyncStream<RenderEvent>.Continuation? = nil
    ) async throws -> [(jobID: Int64, state: RenderJob.State)] {
        if let leases = store as? any RenderLeases {
            return try await runLeased(
                leases, provider: provider, settings: settings, options: options, keepWaiting: keepWaiting, stop: stop, events: events)
        }
        var results: [(jobID: Int64, state: RenderJob.State)] = []
        // At the budget the job waits queued, and so does the box: its caller decides when to go on.
        while !stop.isStopped && !Task.isCancelled && settings.budget?.isExhausted != true {
            results += try await runExclusive(provider: provider, settings: settings, stop: stop, events: events)
            guard keepWaiting else { break }
            // Queued by another process (or this one's TUI): looked for every `idlePoll`.
            while !stop.isStopped, !Task.isCancelled, try await !Blocking.run({ try self.hasUnfinishedJobs() }) {
                await stop.wait(upTo: options.idlePoll)
            }
        }
        return results
    }

    /// Whether several processes render this project side by side under leases (a shared
    /// project), rather than one at a time (the embedded project's render lock).
    public var isRenderFarm: Bool { store is any RenderLeases }

    /// The render boxes of a shared project (none on the embedded project).
    public func workers() throws -> [RenderWorker] {
        guard let leases = store as? any RenderLeases else { return [] }
        return try leases.workers()
    }

    /// One box of a shared project's render farm (see `RenderLeases`): claims items of every
    /// unfinished job, heartbeats its leases, and runs the reaper that hands any dead box's
    /// items back. Without `keepWaiting` (a `render`) it ends when nothing is left to claim
    /// and every job unfinished when it started, or that it rendered for, has ended — items other boxes hold are waited for, so
    /// that a box that dies meanwhile has its items rendered here.
    func runLeased(
        _ leases: any RenderLeases, provider: any RenderProvider, settings: RenderSettings, options: WorkerOptions, keepWaiting: Bool,
        stop: StopSignal?, events: AsyncStream<RenderEvent>.Continuation?
    ) async throws -> [(jobID: Int64, state: RenderJob.State)] {
        let store = self.store
        let clock = self.clock
        let name = options.name
        try await Blocking.run { try leases.registerWorker(name: name, host: ProcessInfo.processInfo.hostName, pid: Int(getpid())) }
        let heartbeat = Task { [settings] in
            var sinceReap = Duration.zero
            let beat = settings.lease / 3
            while !Task.isCancelled {
                try? await Task.sleep(for: min(beat, settings.reaperInterval))
                if Task.isCancelled { break }
                let state: RenderWorker.State = stop?.isStopped == true ? .stopping : .running
                _ = try? await Blocking.run { try leases.heartbeat(lease: settings.lease, state: state) }
                sinceReap += min(beat, settings.reaperInterval)
                if sinceReap >= settings.reaperInterval {
                    sinceReap = .zero
                    _ = try? await Blocking.run { try leases.reapExpiredLeases(at: clock()) }
                }
            }
        }
        let runner = RenderRunner(
            store: store, files: artifacts, provider: provider, settings: settings,
            lease: RenderLeaseSettings(
                leases: leases, duration: settings.lease, pacer: (store as? any SharedRequestPacing).map(StoreRequestPacer.init),
                maxInFlight: settings.maxInFlight, stop: stop),
            drain: stop, clock: clock)
        var touched: [Int64] = []
        // Wakes an idle box as soon as another process commits (a job queued), where LISTEN works.
        let watcher = try? await Blocking.run { () -> (any ChangeWatching)? in
            let watcher = try store.changeWatcher()
            _ = try watcher.changed()
            return watcher.hearsCommits ? watcher : nil
        }
        func stopping() -> Bool { stop?.isStopped == true || Task.isCancelled || settings.budget?.isExhausted == true }
        do {
            try await Blocking.run { _ = try leases.reapExpiredLeases(at: clock()) }
            // A `render` waits for every job unfinished when it started, even one whose items
            // all lie with other boxes: one of them may die, and its items are then rendered here.
            if !keepWaiting { touched = try await Blocking.run { try store.unfinishedJobIDs() } }
            var backoff = OutageBackoff()
            while !stopping() {
                do {
                    var ran = false
                    for jobID in try await Blocking.run({ try store.unfinishedJobIDs() }) {
                        if stopping() { break }
                        guard try await Blocking.run({ try leases.hasClaimableItems(jobID: jobID) }) else { continue }
                        if !touched.contains(jobID) { touched.append(jobID) }
                        _ = try await runner.run(jobID: jobID, events: events)
                        ran = true
                    }
                    backoff.reset()
                    if ran { continue }
                    if !keepWaiting {
                        let jobs = touched
                        let open = try await Blocking.run { try jobs.filter { [.queued, .running].contains(try store.jobState($0)) } }
                        if open.isEmpty { break }
                    }
                    await Self.waitForWork(watcher, stop: stop ?? StopSignal(), upTo: options.idlePoll)
                } catch {
                    guard keepWaiting, let outage = DatabaseOutage.behind(error) else { throw error }
                    // A worker outlives the database's restart or a network cut. The renders in
                    // flight ended with the job's loop; what it held goes back to the queue as
                    // soon as the database answers again, before it claims anything new (its
                    // heartbeat would otherwise keep those leases alive with nobody rendering).
                    options.onOutage?(outage, backoff.current)
                    while !stopping() {
                        await (stop ?? StopSignal()).wait(upTo: backoff.next())
                        if (try? await Blocking.run({ try leases.releaseLeases() })) != nil { break }
                    }
                }
            }
        } catch {
            heartbeat.cancel()
            _ = try? await Blocking.run { try leases.releaseLeases() }
            _ = try? await Blocking.run { try leases.unregisterWorker() }
            throw error
        }
        heartbeat.cancel()
        try await Blocking.run {
            try leases.releaseLeases()
            try leases.unregisterWorker()
        }
        let jobs = touched
        return try await Blocking.run { try jobs.map { ($0, try store.jobState($0) ?? .failed) } }
    }

    /// An idle box's wait for work: `upTo` (the poll), ended early by another process's commit
    /// where `watcher` hears of commits — asked every 20 ms, in memory.
    private static func waitForWork(_ watcher: (any ChangeWatching)?, stop: StopSignal, upTo limit: Duration) async {
        guard let watcher else { return await stop.wait(upTo: limit) }
        let deadline = ContinuousClock.now + limit
        while !stop.isStopped, !Task.isCancelled, ContinuousClock.now < deadline {
            if (try? await Blocking.run({ try watcher.changed() })) == true { return }
            await stop.wait(upTo: .milliseconds(20))
        }
    }
}
