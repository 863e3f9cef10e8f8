import AutoDirectorCore
import Foundation
import Synchronization

/// Interprets the effects `Update` asks for: runs the engine work off the UI thread and posts
/// the results back as events. It is the one layer that words engine results and errors for
/// the status line; `Update` shows those sentences as they come and writes only its own (about
/// keys, prompts and the render events it is sent). Loads are coalesced — only the newest page
/// and detail asked for are loaded, as in gitui — and actions run one after another, each in
/// its own transaction in the engine. Renders run in a background task that the UI watches
/// through `RenderEvent`s.
public final class EffectInterpreter: Sendable {
    public struct Configuration: Sendable {
        public var reviewer: String
        public var exportDirectory: URL
        public var makeProvider: @Sendable () throws -> any RenderProvider
        public var settings: RenderSettings

        public init(reviewer: String, exportDirectory: URL, settings: RenderSettings, makeProvider: @escaping @Sendable () throws -> any RenderProvider) {
            self.reviewer = reviewer
            self.exportDirectory = exportDirectory
            self.settings = settings
            self.makeProvider = makeProvider
        }
    }

    private let engine: Engine
    private let configuration: Configuration
    private let post: @Sendable (AppEvent) -> Void
    private let loads = DispatchQueue(label: "autodirector.tui.loads")
    private let graphics = DispatchQueue(label: "autodirector.tui.graphics")
    private let wantedGraphics = Latest<[GraphicsPlacement]>()
    private let wantedCompare = Latest<(shotID: String, left: Int?, right: Int?)>()
    private let actions = DispatchQueue(label: "autodirector.tui.actions")
    private let wantedPage = Latest<ShotQuery>()
    private let wantedDetail = Latest<String>()
    private let wantedMatches = Latest<ShotQuery>()
    private let wantedJob = Latest<Void>()
    /// Bumped to start or stop watching; a poll of an older generation ends its chain.
    private let watchGeneration = Atomic<Int>(0)
    private let rendering = Mutex<Task<Void, Never>?>(nil)
    /// Loads and actions asked for and not yet answered.
    private let inFlight = Atomic<Int>(0)
    /// Bumped after each review decision is committed: a read that began at generation g holds
    /// every decision up to g (see `AppState.unconfirmedDecisions`).
    private let writeGeneration = Atomic<Int>(0)

    public init(engine: Engine, configuration: Configuration, post: @escaping @Sendable (AppEvent) -> Void) {
        self.engine = engine
        self.configuration = configuration
        self.post = post
    }

    /// Whether a render is running or starting.
    public var isRendering: Bool { rendering.withLock { $0 != nil } }

    /// Whether every load and action asked for has been answered.
    public var isIdle: Bool { inFlight.load(ordering: .acquiring) == 0 }

    public func run(_ effect: Effect) {
        switch effect {
        case .loadPage(let query):
            load(query, into: wantedPage) { engine, query, writesSeen in .pageLoaded(try engine.shotPage(query), query, writesSeen: writesSeen) }
        case .loadDetail(let shotID):
            load(shotID, into: wantedDetail) { engine, shotID, writesSeen in
                .detailLoaded(try DetailLoader.load(engine, shotID: shotID), writesSeen: writesSeen)
            }
        case .approve(let ids):
            decide { engine in
                let outcome = try engine.approve(ids, reviewer: self.configuration.reviewer)
                return ReviewDecision(
                    status: .approved, shotIDs: (outcome.changed + outcome.unchanged).map(\.shotID),
                    message: "Approved \(Self.count(ids)) (\(outcome.changed.count) changed).")
            }
        case .reject(let ids, let note):
            decide { engine in
                let outcome = try engine.reject(ids, note: note, reviewer: self.configuration.reviewer)
                return ReviewDecision(
                    status: .rejected, shotIDs: (outcome.changed + outcome.unchanged).map(\.shotID),
                    message: "Rejected \(Self.count(ids)) (\(outcome.changed.count) changed).")
            }
        case .selectMatching(let query):
            load(query, into: wantedMatches) { engine, query, _ in .matching(try engine.shotIDs(matching: query), query) }
        case .loadCompare(let shotID, let left, let right):
            load((shotID, left, right), into: wantedCompare) { engine, wanted, _ in
                do {
                    return .compareLoaded(try CompareLoader.load(engine, shotID: wanted.shotID, left: wanted.left, right: wanted.right))
                } catch {
                    return .compareFailed(shotID: wanted.shotID, Self.describe(error))
                }
            }
        case .loadJob:
            load((), into: wantedJob) { engine, _, _ in .jobLoaded(try Self.latestJob(engine)) }
        case .undo:
            act { engine in
                let outcome = try engine.undoLastReview(reviewer: self.configuration.reviewer)
                return "Undid your last review action (\(outcome.changed.count) shot\(outcome.changed.count == 1 ? "" : "s"))."
            }
        case .patch(let shotID, let text):
            act { engine in
                let result = try engine.rerender(shotID, patches: [.assignments(try PatchText.assignments(text))])
                self.startRendering()
                return "\(shotID) v\(result.version.number) created (\(result.changes.count) change\(result.changes.count == 1 ? "" : "s")); rendering in job \(result.jobID)."
            }
        case .replaceSpec(let shotID, let json):
            act { engine in
                let result = try engine.rerender(shotID, replacingSpecWith: json)
                self.startRendering()
                return "\(shotID) v\(result.version.number) created from your edit; rendering in job \(result.jobID)."
            }
        case .rerender(let ids):
            act { engine in
                guard let job = try engine.enqueueRerender(shots: ids) else {
                    return "Nothing to render."
                }
                self.startRendering()
                return "Rendering \(Self.count(ids)) in job \(job)."
            }
        case .cancelJob(let id):
            act { engine in try engine.cancelJob(id) ? "Job \(id) cancelled." : "Job \(id) had already ended." }
        case .export(let batchID):
            act { engine in
                let results = try engine.export(
                    batchIDs: batchID.map { [$0] }, options: ExportOptions(directory: self.configuration.exportDirectory, zip: true))
                return "Exported to \(results.map { $0.zip?.path ?? $0.directory.path }.joined(separator: ", "))."
            }
        case .editJSON, .copy, .quit:
            // Terminal work: the UI loop does these itself.
            break
        }
    }

    /// Polls the project for commits by anyone else every `interval` seconds, off the UI
    /// thread, and posts `.storeChanged` when there were some (SPEC §14: another process's
    /// approval shows within a second, without a key press). Costs one PRAGMA per poll.
    public func watchChanges(every interval: Double = 0.4) {
        let watcher: any ChangeWatching
        do { watcher = try engine.changeWatcher() } catch {
            post(.failed("Cannot watch the project for changes by other processes: \(Self.describe(error))"))
            return
        }
        let generation = watchGeneration.add(1, ordering: .acquiringAndReleasing).newValue
        poll(watcher, on: DispatchQueue(label: "autodirector.tui.watch"), generation: generation, every: interval)
    }

    public func stopWatching() {
        watchGeneration.add(1, ordering: .acquiringAndReleasing)
    }

    private func poll(_ watcher: any ChangeWatching, on queue: DispatchQueue, generation: Int, every interval: Double) {
        queue.asyncAfter(deadline: .now() + interval) { [self] in
            guard watchGeneration.load(ordering: .acquiring) == generation else { return }
            if (try? watcher.changed()) == true { post(.storeChanged) }
            poll(watcher, on: queue, generation: generation, every: interval)
        }
    }

    /// The newest job, as the job line shows it.
    static func latestJob(_ engine: Engine) throws -> JobStatus? {
        guard let job = try engine.jobs(limit: 1).first else { return nil }
        let count = { (state: JobItem.State) in job.counts[state] ?? 0 }
        let elapsed = job.startedAt.map { (job.finishedAt ?? Date()).timeIntervalSince($0) } ?? 0
        let progress = RenderProgress(
            jobID: job.id, total: job.total, done: count(.done), cached: count(.cached), failed: count(.failed),
            providerCalls: count(.done), retries: job.retries, elapsed: max(0, elapsed))
        return JobStatus(progress: progress, running: job.state == .running || job.state == .queued, state: job.state.rawValue, lastFailure: nil)
    }

    /// Runs every pending render job in the background, unless that is already happening;
    /// jobs queued meanwhile are picked up before it stops.
    public func startRendering() {
        rendering.withLock { task in
            guard task == nil else { return }
            task = Task.detached { [self] in
                await renderUntilIdle()
                rendering.withLock { $0 = nil }
                post(.renderStopped)
                // A job queued between the last check and now would otherwise wait.
                let engine = self.engine
                if (try? await Blocking.run({ try engine.jobs(limit: 20).contains { $0.state == .queued } })) == true { startRendering() }
            }
        }
    }

    /// Stops the background render (its job resumes on the next start) and waits for it.
    public func stopRendering() async {
        let task = rendering.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    private func renderUntilIdle() async {
        let provider: any RenderProvider
        do { provider = try configuration.makeProvider() } catch {
            post(.failed(Self.describe(error)))
            return
        }
        await renderJobs(with: provider)
        // Awaited, so that quitting returns only once the provider's connections are closed.
        await provider.shutdown()
    }

    private func renderJobs(with provider: any RenderProvider) async {
        while !Task.isCancelled {
            let (events, continuation) = AsyncStream<RenderEvent>.makeStream(bufferingPolicy: .bufferingNewest(64))
            let forward = Task { [post] in for await event in events { post(.render(event)) } }
            let results: [(jobID: Int64, state: RenderJob.State)]
            do {
                results = try await engine.runPendingJobs(provider: provider, settings: configuration.settings, events: continuation)
            } catch {
                continuation.finish()
                await forward.value
                post(.failed(Self.describe(error)))
                return
            }
            continuation.finish()
            await forward.value
            if results.isEmpty { return }
        }
    }

    /// Encodes the images of `placements` for the terminal, off the UI thread, into `cache`;
    /// only the newest set asked for is encoded (moving fast through shots encodes the one
    /// stopped at). Posts `.graphicsReady` as each is there.
    public func encodeGraphics(_ placements: [GraphicsPlacement], cell: CellPixels, insideTmux: Bool, into cache: GraphicsCache) {
        wantedGraphics.set(placements)
        started()
        graphics.async { [self] in
            defer { finished() }
            guard let placements = wantedGraphics.take() else { return }
            for placement in placements where cache.sequences(for: placement.key) == nil {
                do {
                    let file = try placement.png ?? engine.artifactBytes(path: placement.path)
                    cache.store(try GraphicsEncoding.sequences(for: placement, file: file, cell: cell, insideTmux: insideTmux), for: placement.key)
                    post(.graphicsReady(placement.key))
                } catch {
                    let mode = placement.key.prefix { $0 != ":" }
                    post(.graphicsFailed(
                        key: placement.key, "Cannot show the image as \(mode) (\(Self.describe(error))); it is drawn in colour blocks instead."))
                }
            }
        }
    }

    /// Loads only the newest value asked for: requests that arrive while one is loading
    /// replace each other, and the load that runs next takes whichever is newest.
    private func load<Value: Sendable>(
        _ value: Value, into latest: Latest<Value>, _ body: @escaping @Sendable (Engine, Value, _ writesSeen: Int) throws -> AppEvent
    ) {
        latest.set(value)
        started()
        loads.async { [self] in
            defer { finished() }
            guard let value = latest.take() else { return }
            // Read before the read transaction begins: every decision counted is in it.
            let writesSeen = writeGeneration.load(ordering: .acquiring)
            do { post(try body(engine, value, writesSeen)) } catch { post(.failed(Self.describe(error))) }
        }
    }

    private func decide(_ body: @escaping @Sendable (Engine) throws -> ReviewDecision) {
        started()
        actions.async { [self] in
            defer { finished() }
            do {
                var decision = try body(engine)
                decision.generation = writeGeneration.add(1, ordering: .releasing).newValue
                post(.reviewed(decision))
            } catch { post(.failed(Self.describe(error))) }
        }
    }

    private func act(_ body: @escaping @Sendable (Engine) throws -> String) {
        started()
        actions.async { [self] in
            defer { finished() }
            do { post(.done(try body(engine))) } catch { post(.failed(Self.describe(error))) }
        }
    }

    private func started() { inFlight.add(1, ordering: .releasing) }
    private func finished() { inFlight.subtract(1, ordering: .releasing) }

    private static func count(_ ids: [String]) -> String {
        ids.count == 1 ? ids[0] : "\(ids.count) shots"
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}

/// The newest value asked for, taken once.
private final class Latest<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func set(_ newValue: Value) { value.withLock { $0 = newValue } }

    func take() -> Value? { value.withLock { $0.take() } }
}
