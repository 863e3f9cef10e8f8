import AutoDirectorCore
import Foundation
import Synchronization

/// Interprets the effects `Update` asks for: runs the engine work off the UI thread and posts
/// the results back as events. It is the one layer that words engine results and errors for
/// the status line; `Update` shows those sentences as they come and writes only its own (about
/// keys, prompts and the render events it is sent). Loads are coalesced — only the newest page
/// and detail asked for are loaded, as in gitui — and actions run one after another, each in
/// its own transaction in the engine, beside the loads (a decision never waits for a slow
/// page). A read that a decision's commit overlapped is read again before it is posted, so no
/// read arrives after a decision showing the decided shots as they were. Renders run in a
/// background task that the UI watches through `RenderEvent`s.
public final class EffectInterpreter: Sendable {
    public struct Configuration: Sendable {
        public var reviewer: String
        public var exportDirectory: URL
        public var makeProvider: @Sendable () throws -> any RenderProvider
        public var settings: RenderSettings
        /// `FIBO_PRICE_PER_IMAGE`: re-render questions say what they cost.
        public var prices: ImagePrices?
        /// `FIBO_BUDGET`: the session's renders and variants keep to today's part of it.
        public var dailyBudget: DailyBudget?

        public init(
            reviewer: String, exportDirectory: URL, settings: RenderSettings, prices: ImagePrices? = nil, dailyBudget: DailyBudget? = nil,
            makeProvider: @escaping @Sendable () throws -> any RenderProvider
        ) {
            self.reviewer = reviewer
            self.exportDirectory = exportDirectory
            self.settings = settings
            self.prices = prices
            self.dailyBudget = dailyBudget
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
    private let wantedStages = Latest<Void>()
    /// Bumped to start or stop watching; a poll of an older generation ends its chain.
    private let watchGeneration = Atomic<Int>(0)
    private let rendering = Mutex<Task<Void, Never>?>(nil)
    /// Loads and actions asked for and not yet answered.
    private let inFlight = Atomic<Int>(0)
    /// Pages read, details built (each some 14 reads and a PNG decode) and changes by other
    /// processes noticed so far: tests count them.
    private let pagesLoaded = Atomic<Int>(0)
    private let detailsLoaded = Atomic<Int>(0)
    private let changesNoticed = Atomic<Int>(0)
    /// Review decisions committed so far. Taken with posting: a decision's count and its
    /// `.reviewed` go together, and so do a read's check of the count and its result.
    private let decisions = Mutex<Int>(0)

    public init(engine: Engine, configuration: Configuration, post: @escaping @Sendable (AppEvent) -> Void) {
        self.engine = engine
        self.configuration = configuration
        self.post = post
    }

    /// Whether a render is running or starting.
    public var isRendering: Bool { rendering.withLock { $0 != nil } }

    /// Whether every load and action asked for has been answered.
    public var isIdle: Bool { inFlight.load(ordering: .acquiring) == 0 }

    var pageLoads: Int { pagesLoaded.load(ordering: .relaxed) }
    var detailLoads: Int { detailsLoaded.load(ordering: .relaxed) }
    var storeChanges: Int { changesNoticed.load(ordering: .relaxed) }

    public func run(_ effect: Effect) {
        switch effect {
        case .loadPage(let query):
            load(query, into: wantedPage) { [self] engine, query in
                pagesLoaded.add(1, ordering: .relaxed)
                return .pageLoaded(try engine.shotPage(query), query)
            }
        case .loadDetail(let shotID):
            load(shotID, into: wantedDetail) { [self] engine, shotID in
                detailsLoaded.add(1, ordering: .relaxed)
                return .detailLoaded(try DetailLoader.load(engine, shotID: shotID))
            }
        case .approve(let ids, let stage):
            decide { engine in
                let outcome = try engine.approve(ids, stage: stage, reviewer: self.configuration.reviewer)
                // A stage's approval leaves a shot pending until the last stage: the page read
                // after the decision shows where each one stands.
                return ReviewDecision(
                    status: stage == nil ? .approved : nil, shotIDs: (outcome.changed + outcome.unchanged).map(\.shotID),
                    message: "Approved \(Self.count(ids))\(stage.map { " at \($0)" } ?? "") (\(outcome.changed.count) changed).")
            }
        case .loadStages:
            load((), into: wantedStages) { engine, _ in .stagesLoaded(try engine.approvalStages()) }
        case .recordVisit:
            let reviewer = configuration.reviewer
            started()
            actions.async { [self] in
                defer { finished() }
                // A read-only project (or a lost database) keeps no visit: nothing is marked.
                guard let previous = try? engine.recordVisit(reviewer: reviewer) else { return }
                post(.visitRecorded(previous: previous))
            }
        case .review(let change, let ids, let note, let pin):
            decide { engine in
                let outcome = try change.apply(engine, ids, note: note, pin: pin, reviewer: self.configuration.reviewer)
                return ReviewDecision(
                    status: change.status, shotIDs: (outcome.changed + outcome.unchanged).map(\.shotID),
                    message: "\(change.past) \(Self.count(ids)) (\(outcome.changed.count) changed).")
            }
        case .selectMatching(let query):
            load(query, into: wantedMatches) { engine, query in .matching(try engine.shotIDs(matching: query), query) }
        case .loadCompare(let shotID, let left, let right):
            load((shotID, left, right), into: wantedCompare) { engine, wanted in
                do {
                    return .compareLoaded(try CompareLoader.load(engine, shotID: wanted.shotID, left: wanted.left, right: wanted.right))
                } catch {
                    return .compareFailed(shotID: wanted.shotID, Self.describe(error))
                }
            }
        case .loadVariants(let shotID, let count):
            started()
            Task.detached { [self] in
                defer { finished() }
                do {
                    let data = try await withProvider { provider in
                        try await VariantsLoader.load(
                            self.engine, shotID: shotID, count: count, provider: provider, settings: self.configuration.settings,
                            cost: (self.configuration.prices, self.configuration.dailyBudget))
                    }
                    post(.variantsLoaded(data))
                } catch let refusal as BudgetRefusal {
                    post(.variantsFailed(shotID: shotID, refusal.message))
                } catch {
                    post(.variantsFailed(shotID: shotID, "The variants of \(shotID) could not be rendered: \(Self.describe(error))"))
                }
            }
        case .pickVariant(let shotID, let version, let seed):
            started()
            actions.async { [self] in
                defer { finished() }
                do {
                    let result = try engine.pickVariant(shotID, version: version, seed: seed)
                    startRendering()
                    post(.variantPicked(shotID: shotID, "\(shotID) v\(result.version.number) created with seed \(seed) (origin variant); its render is the variant's, in job \(result.jobID)."))
                } catch {
                    post(.variantsFailed(shotID: shotID, Self.describe(error)))
                }
            }
        case .proposeRefinement(let shotID, let note):
            started()
            Task.detached { [self] in
                defer { finished() }
                do {
                    let refinement = try await withProvider { provider in
                        guard let model = provider as? any PromptModel else {
                            throw PromptModelError("This provider has no prompt model to refine with.")
                        }
                        return try await self.engine.proposeRefinement(shotID, note: note, model: model)
                    }
                    post(.refinementProposed(refinement))
                } catch {
                    post(.failed(Self.describe(error)))
                }
            }
        case .acceptRefinement(let refinement):
            act { engine in
                let result = try engine.acceptRefinement(refinement)
                self.startRendering()
                return "\(refinement.base.shotID) v\(result.version.number) created from the note (origin refine, \(refinement.changes.count) fields); rendering in job \(result.jobID)."
            }
        case .loadJob:
            load((), into: wantedJob) { engine, _ in .jobLoaded(try Self.latestJob(engine)) }
        case .writeNote(let shotID, let text, let pin):
            act { engine in
                let note = try engine.writeNote(shotID, text: text, pin: pin, author: self.configuration.reviewer)
                let number = try engine.notes(of: shotID, version: note.version).threads.first { $0.note.id == note.id }?.number
                return "Note \(number.map { "#\($0)" } ?? "\(note.id)") on \(shotID) v\(note.version)\(pin == nil ? "" : ", pinned at \(pin!.text)")."
            }
        case .assign(let ids, let name):
            act { engine in
                let outcome = try engine.assign(ids, to: name, reviewer: self.configuration.reviewer)
                return "Assigned \(Self.count(ids)) to \(name) (\(outcome.changed.count) changed)."
            }
        case .setNoteState(let id, let number, let resolved):
            act { engine in
                let reviewer = self.configuration.reviewer
                let change = resolved ? try engine.resolveNote(id, reviewer: reviewer) : try engine.reopenNote(id, reviewer: reviewer)
                let name = "Note #\(number) on \(change.note.shotID) v\(change.note.version)"
                return change.changed ? "\(name) \(resolved ? "resolved" : "reopened")." : "\(name) was already \(change.note.state.rawValue)."
            }
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
        case .estimateRerender(let ids):
            started()
            actions.async { [self] in
                defer { finished() }
                do {
                    let estimate = try rerenderEstimate(ids)
                    post(.rerenderEstimated(ids, estimate.sentence))
                } catch {
                    post(.failed(Self.describe(error)))
                }
            }
        case .rerender(let ids):
            act { engine in
                let estimate = try self.rerenderEstimate(ids)
                guard let job = try engine.enqueueRerender(shots: ids) else {
                    return "Nothing to render."
                }
                self.startRendering()
                return "Rendering \(Self.count(ids)) in job \(job): \(estimate.sentence)."
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

    /// Asks the store's change watcher every `interval`, off the UI thread, and posts
    /// `.storeChanged` when another process committed (SPEC §14: another process's approval
    /// shows within a second, without a key press). A poll costs one PRAGMA on SQLite and
    /// nothing but a lock on PostgreSQL, whose watcher listens for notifications. This process's
    /// own writes are not reported: each already says so (`.reviewed`, `.done`, render events),
    /// so a write is shown once.
    public func watchChanges(every interval: Duration = .milliseconds(400)) {
        let watcher: any ChangeWatching
        do { watcher = try engine.changeWatcher() } catch {
            post(.failed("Cannot watch the project for changes by other processes: \(Self.describe(error))"))
            return
        }
        let generation = watchGeneration.add(1, ordering: .acquiringAndReleasing).newValue
        poll(watcher, on: DispatchQueue(label: "autodirector.tui.watch"), generation: generation, every: interval, failing: false)
    }

    public func stopWatching() {
        watchGeneration.add(1, ordering: .acquiringAndReleasing)
    }

    /// `failing`: the last poll could not reach the database. A lost database (a shared
    /// project's server restarting, the network) is said once, and its return once, with a
    /// reload: the UI keeps running meanwhile.
    private func poll(_ watcher: any ChangeWatching, on queue: DispatchQueue, generation: Int, every interval: Duration, failing: Bool) {
        queue.asyncAfter(deadline: .now() + interval.seconds) { [self] in
            guard watchGeneration.load(ordering: .acquiring) == generation else { return }
            var failed = false
            do {
                if try watcher.changed() {
                    changesNoticed.add(1, ordering: .relaxed)
                    post(.storeChanged)
                }
                if failing { post(.done("The project database is reachable again.")) }
            } catch {
                failed = true
                if !failing { post(.failed(Self.lostDatabase(error))) }
            }
            poll(watcher, on: queue, generation: generation, every: interval, failing: failed)
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
                let idle = await renderUntilIdle()
                rendering.withLock { $0 = nil }
                post(.renderStopped)
                // A job queued between the last check and now would otherwise wait (but not one
                // the budget stopped: it waits for the next key that renders).
                let engine = self.engine
                if idle, (try? await Blocking.run({ try engine.jobs(limit: 20).contains { $0.state == .queued } })) == true { startRendering() }
            }
        }
    }

    /// What re-rendering these shots will call and cost; refused (thrown) past today's budget.
    private func rerenderEstimate(_ ids: [String]) throws -> RenderEstimate {
        let prices = configuration.dailyBudget?.prices ?? configuration.prices
        let estimate = try engine.renderEstimate(shots: ids, force: true, prices: prices)
        if let daily = configuration.dailyBudget, let refusal = BudgetText.refusal(try engine.todaysGuard(daily), estimate, nothing: "Nothing was queued.") {
            throw BudgetRefusal(message: refusal)
        }
        return estimate
    }

    /// Stops the background render (its job resumes on the next start) and waits for it.
    public func stopRendering() async {
        let task = rendering.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    /// Renders until no job is left; false when it stopped at the day's budget (what is left
    /// waits queued, and is not started again by itself).
    private func renderUntilIdle() async -> Bool {
        let provider: any RenderProvider
        do { provider = try configuration.makeProvider() } catch {
            post(.failed(Self.describe(error)))
            return true
        }
        let idle = await renderJobs(with: provider)
        // Awaited, so that quitting returns only once the provider's connections are closed.
        await provider.shutdown()
        return idle
    }

    private func renderJobs(with provider: any RenderProvider) async -> Bool {
        while !Task.isCancelled {
            let (events, continuation) = AsyncStream<RenderEvent>.makeStream(bufferingPolicy: .bufferingNewest(64))
            let forward = Task { [post] in for await event in events { post(.render(event)) } }
            var settings = configuration.settings
            let results: [(jobID: Int64, state: RenderJob.State)]
            do {
                if let daily = configuration.dailyBudget {
                    let engine = self.engine
                    settings.budget = try await Blocking.run { try engine.todaysGuard(daily) }
                }
                results = try await engine.runPendingJobs(provider: provider, settings: settings, events: continuation)
            } catch {
                continuation.finish()
                await forward.value
                post(.failed(Self.describe(error)))
                return true
            }
            continuation.finish()
            await forward.value
            if let budget = settings.budget, budget.isExhausted {
                post(.failed(BudgetText.stopped(budget)))
                return false
            }
            if results.isEmpty { return true }
        }
        return true
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
    private func load<Value: Sendable>(_ value: Value, into latest: Latest<Value>, _ body: @escaping @Sendable (Engine, Value) throws -> AppEvent) {
        latest.set(value)
        started()
        loads.async { [self] in
            defer { finished() }
            guard let value = latest.take() else { return }
            while true {
                let before = decisions.withLock { $0 }
                let event: AppEvent
                do { event = try body(engine, value) } catch {
                    post(.failed(Self.describe(error)))
                    return
                }
                // Not posted when a decision committed meanwhile (the read may have begun before
                // it): read again, unless a newer load is asked for, which then answers instead.
                let posted = decisions.withLock { count in
                    if count == before { post(event) }
                    return count == before
                }
                if posted || latest.isSet { return }
            }
        }
    }

    /// Beside the loads; its count and its event are posted together (see `load`).
    private func decide(_ body: @escaping @Sendable (Engine) throws -> ReviewDecision) {
        started()
        actions.async { [self] in
            defer { finished() }
            do {
                let decision = try body(engine)
                decisions.withLock { count in
                    count += 1
                    post(.reviewed(decision))
                }
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

    /// A provider of this session's kind for one piece of work, shut down however it ends.
    private func withProvider<T: Sendable>(_ body: (any RenderProvider) async throws -> T) async throws -> T {
        let provider = try configuration.makeProvider()
        do {
            let value = try await body(provider)
            await provider.shutdown()
            return value
        } catch {
            await provider.shutdown()
            throw error
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

    /// What the status line says while the project database cannot be reached.
    static func lostDatabase(_ error: any Error) -> String {
        if case .unreachable(let location, let reason) = error as? StoreError {
            return "The project database \(location) is unreachable (\(reason)); still trying. What is shown may be out of date."
        }
        return "\(describe(error)) Still trying; what is shown may be out of date."
    }
}

/// The newest value asked for, taken once.
private final class Latest<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func set(_ newValue: Value) { value.withLock { $0 = newValue } }

    func take() -> Value? { value.withLock { $0.take() } }

    /// Whether a value is waiting to be taken.
    var isSet: Bool { value.withLock { $0 != nil } }
}
