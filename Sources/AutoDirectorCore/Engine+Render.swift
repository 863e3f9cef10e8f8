import Foundation

extension Engine {
    /// Queues a render job for the latest version of the given shots, of a batch, or of every
    /// planned shot, skipping versions already rendered (unless `force`) or already waiting in a
    /// job. Returns nil when there is nothing to render.
    public func enqueueRender(shots: [String] = [], batchID: String? = nil, force: Bool = false) throws -> Int64? {
        var targets = try latestVersions(shots: shots, batchID: batchID)
        let only = shots.isEmpty ? nil : shots
        let waiting = try store.waitingVersions(shotIDs: only)
        let rendered = force ? [] : try store.renderedHashes(among: only == nil ? nil : targets.map(\.hash))
        targets = targets.filter { !rendered.contains($0.hash) && waiting[VersionKey(shotID: $0.shotID, version: $0.version)] == nil }
        guard !targets.isEmpty else { return nil }
        let reason = !shots.isEmpty ? "render of \(shots.count) shot\(shots.count == 1 ? "" : "s")" : batchID.map { "render of batch \($0)" } ?? "render of all pending shots"
        return try store.createRenderJob(targets, reason: reason, force: force, at: clock())
    }

    /// The unfinished jobs (queued by any process) in which the latest version of one of the
    /// given shots (of a batch, of every shot) waits: where `enqueueRender`, finding nothing new
    /// to queue, leaves a render that has been asked for but not done.
    public func waitingJobs(shots: [String] = [], batchID: String? = nil) throws -> [Int64] {
        // Named shots are looked up first (an unknown one is an error); a whole batch or project
        // only when something waits at all.
        let named = shots.isEmpty ? nil : try latestVersions(shots: shots, batchID: batchID)
        let waiting = try store.waitingVersions(shotIDs: shots.isEmpty ? nil : shots)
        guard !waiting.isEmpty else { return [] }
        let targets = try named ?? latestVersions(shots: shots, batchID: batchID)
        let jobs = targets.compactMap { waiting[VersionKey(shotID: $0.shotID, version: $0.version)] }
        return Array(Set(jobs)).sorted()
    }

    /// The latest version of each of `shots` (every shot of the batch, or of the project, when
    /// empty); an unknown shot is an error.
    func latestVersions(shots: [String], batchID: String?) throws -> [(shotID: String, version: Int, hash: String)] {
        if let batchID { _ = try batch(batchID) }
        guard !shots.isEmpty else { return try store.latestVersions(batchID: batchID, shotIDs: nil) }
        let targets = try store.latestVersions(batchID: batchID, shotIDs: shots)
        let found = Set(targets.map(\.shotID))
        for shot in shots where !found.contains(shot) { _ = try self.shot(shot) }
        return targets
    }

    /// Queues the latest versions of `shots` to render again: those not rendered yet (or
    /// waiting) as `enqueueRender` would, and when that leaves nothing, every one of them anew
    /// (`force`) — a reviewer asking for a render means a new image. Nil: nothing to render.
    public func enqueueRerender(shots: [String]) throws -> Int64? {
        try enqueueRender(shots: shots) ?? enqueueRender(shots: shots, force: true)
    }

    /// Runs every job with work left — new ones and ones interrupted by a crash — one after the
    /// other, in this process. Only one process renders an embedded project at a time; on a
    /// shared project this process is one render box among any number (`runLeased`).
    public func runPendingJobs(
        provider: any RenderProvider, settings: RenderSettings, events: AsyncStream<RenderEvent>.Continuation? = nil
    ) async throws -> [(jobID: Int64, state: RenderJob.State)] {
        if let leases = store as? any RenderLeases {
            // A shared project: this process is one box among any number (SPEC §16).
            return try await runLeased(
                leases, provider: provider, settings: settings, options: WorkerOptions(name: WorkerOptions.defaultName), keepWaiting: false,
                stop: nil, events: events)
        }
        return try await runExclusive(provider: provider, settings: settings, stop: nil, events: events)
    }

    /// The embedded project's renderer: the one process that renders (a file lock). After
    /// `stop`, renders in flight finish, nothing new starts and the job waits to resume.
    func runExclusive(
        provider: any RenderProvider, settings: RenderSettings, stop: StopSignal?, events: AsyncStream<RenderEvent>.Continuation?
    ) async throws -> [(jobID: Int64, state: RenderJob.State)] {
        let store = self.store
        guard let exclusive = store as? any ExclusiveRendering else { throw StoreError.database("this store can neither lease nor lock renders") }
        let lock = try exclusive.takeRenderLock(projectDirectory: projectDirectory)
        defer { lock.release() }
        let runner = RenderRunner(
            store: store, files: artifacts, provider: provider, settings: settings, drain: stop, clock: clock)
        var results: [(Int64, RenderJob.State)] = []
        for jobID in try await Blocking.run({ try store.unfinishedJobIDs() }) {
            if Task.isCancelled || stop?.isStopped == true || settings.budget?.isExhausted == true { break }
            results.append((jobID, try await runner.run(jobID: jobID, events: events)))
        }
        return results
    }

    public func jobs(limit: Int = 50) throws -> [RenderJob] { try store.jobs(limit: limit) }

    /// Whether any job (queued by any process) has work left.
    public func hasUnfinishedJobs() throws -> Bool { try !store.unfinishedJobIDs().isEmpty }

    public func job(_ id: Int64) throws -> RenderJob {
        guard let job = try store.job(id) else { throw EngineError.unknownJob(id) }
        return job
    }

    public func jobItems(_ id: Int64, states: [JobItem.State]? = nil) throws -> [JobItem] {
        _ = try job(id)
        return try store.jobItems(id, states: states)
    }

    /// Cancels a queued or running job; returns false when it had already ended.
    public func cancelJob(_ id: Int64) throws -> Bool {
        _ = try job(id)
        return try store.cancelJob(id, at: clock())
    }

    /// Queues a job's failed, blocked and cancelled items again; returns how many.
    public func retryJob(_ id: Int64) throws -> Int {
        _ = try job(id)
        return try store.retryJob(id)
    }

    public func metrics(batchID: String? = nil) throws -> RenderMetrics {
        var metrics = try store.renderMetrics(batchID: batchID)
        metrics.workers = try workers().filter { $0.state != .stopped }
        return metrics
    }

    /// The bytes of a stored image.
    public func artifactBytes(_ artifact: Artifact) throws -> [UInt8] {
        try artifactBytes(path: artifact.path)
    }

    /// The bytes of the stored image at `path` (relative to the project; only under artifacts/).
    public func artifactBytes(path: String) throws -> [UInt8] {
        try artifacts.read(path)
    }

    /// Where a version's image is, when it has been rendered.
    public func artifact(for version: ShotVersion) throws -> Artifact? {
        try store.artifact(for: version.hash)
    }
}
