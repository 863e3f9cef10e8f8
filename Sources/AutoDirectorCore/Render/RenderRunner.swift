import Foundation
import Synchronization

/// How the worker pool runs.
public struct RenderSettings: Sendable {
    /// Renders in flight at once (`--concurrency`, `FIBO_CONCURRENCY`).
    public var concurrency: Int
    /// Seconds one attempt may take (`FIBO_TIMEOUT_SECONDS`).
    public var itemTimeout: Double
    public var retry: RetryPolicy
    /// Finished items are committed in groups of this many, or every `flushInterval` seconds.
    public var flushEvery: Int
    public var flushInterval: Double
    /// Rendering behind an interactive UI: an in-process provider then leaves one core free.
    public var background = false

    public init(concurrency: Int = 4, itemTimeout: Double = 300, retry: RetryPolicy = RetryPolicy(), flushEvery: Int = 20000, flushInterval: Double = 0.5) {
        self.concurrency = max(1, concurrency)
        self.itemTimeout = itemTimeout
        self.retry = retry
        self.flushEvery = max(1, flushEvery)
        self.flushInterval = flushInterval
    }
}

/// Runs one render job (SPEC §7): cache by hash before any provider call, each distinct hash
/// rendered once, bounded concurrency with structured concurrency, a timeout per attempt,
/// retries per `RetryPolicy`. An item is finished when its state and artifact are committed
/// together, so a job interrupted at any moment resumes without rendering finished items again.
struct RenderRunner: Sendable {
    let store: ProjectStore
    let files: ArtifactFiles
    let provider: any RenderProvider
    let settings: RenderSettings
    let clock: @Sendable () -> Date
    private let metadataText = MetadataText()

    init(store: ProjectStore, files: ArtifactFiles, provider: any RenderProvider, settings: RenderSettings, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.files = files
        self.provider = provider
        self.settings = settings
        self.clock = clock
    }

    /// The result of rendering one distinct hash.
    private struct HashResult: Sendable {
        var artifact: StoredArtifact?
        var failure: RenderFailure?
        var cancelled = false
        var attempts: Int
        var calls: Int
        var durationMS: Int
    }

    func run(jobID: Int64, events: AsyncStream<RenderEvent>.Continuation?) async throws -> RenderJob.State {
        try store.startJob(jobID, provider: provider.name, at: clock())
        guard let job = try store.job(jobID) else { throw EngineError.unknownJob(jobID) }
        let rendered = job.force ? Set<String>() : try store.renderedHashes()
        let started = ContinuousClock.now
        var progress = RenderProgress(
            jobID: jobID, total: job.total, done: job.counts[.done] ?? 0, cached: job.counts[.cached] ?? 0,
            failed: (job.counts[.failed] ?? 0) + (job.counts[.blocked] ?? 0), providerCalls: 0, retries: 0, elapsed: 0)
        events?.yield(.started(jobID: jobID, total: job.total))

        var pending: [ItemOutcome] = []
        var lastFlush = ContinuousClock.now
        var cancelled = false
        // Commits run beside the renders; an item counts as finished once its commit is done.
        let commits = CommitQueue()
        // Whatever way this returns, nothing it submitted is still being written afterwards.
        defer { try? commits.drain() }
        let store = self.store
        let clock = self.clock
        func flush(force: Bool) throws {
            guard force || pending.count >= settings.flushEvery || seconds(since: lastFlush) >= settings.flushInterval else { return }
            let batch = pending
            try commits.submit { try store.recordOutcomes(batch, jobID: jobID, at: clock()) }
            if force { try commits.drain() }
            pending.removeAll(keepingCapacity: true)
            lastFlush = ContinuousClock.now
            progress.elapsed = seconds(since: started)
            if !force { events?.yield(.progress(progress)) }
            // Another process may have cancelled the job (`autodirector cancel`).
            if try store.jobState(jobID) == .cancelled { cancelled = true }
        }

        // Requests arrive in chunks from a loader thread, so rendering starts before 100k
        // requests are built. Items whose hash already has an artifact are done without a
        // provider call; the rest are grouped by hash so that identical specs render once: a
        // hash waiting or in flight collects its items, and a hash already settled in this job
        // settles later items at once.
        let loader = ChunkPipe<RenderRequest>.producing(capacity: 2) { pipe in
            try store.renderRequests(jobID: jobID, chunkSize: 1024) { chunk in
                guard pipe.send(chunk) else { throw CancellationError() }
            }
        }
        defer { loader.cancel() }
        var groups = HashGroups(expected: job.counts[.queued] ?? 0)
        var loaded = false

        func take(_ request: RenderRequest) {
            if !rendered.isEmpty && rendered.contains(request.hash) {
                pending.append(ItemOutcome(itemID: request.jobItemID, state: .cached, attempts: 0, durationMS: 0))
                progress.cached += 1
            } else if let earlier = groups.add(request) {
                let state: JobItem.State = earlier.state == .done ? .cached : earlier.state
                if state == .cached { progress.cached += 1 } else { progress.failed += 1 }
                pending.append(ItemOutcome(itemID: request.jobItemID, state: state, attempts: 0, error: earlier.error, durationMS: 0))
            }
        }

        /// Loads chunks until a hash waits to be rendered or every request is loaded.
        func loadMore() throws {
            while !groups.hasWaiting, !loaded, !cancelled, !Task.isCancelled {
                guard let chunk = try loader.next() else {
                    loaded = true
                    return
                }
                for request in chunk { take(request) }
                try flush(force: false)
            }
        }

        // A provider that can hang (the network) gets one task per render; an in-process one
        // renders a slice of hashes per task, so task overhead does not dominate.
        let slice = provider.canHang ? 1 : 64
        let submissions = SubmissionWriter(store: store, clock: clock)
        try await withThrowingTaskGroup(of: [(group: Int, result: HashResult)].self) { tasks in
            func startNext() throws {
                try loadMore()
                guard groups.hasWaiting, !cancelled, !Task.isCancelled else { return }
                let requests = groups.next(slice).map { id, group in
                    var request = group.first
                    if provider.canHang {
                        let keys = group.all.map { VersionKey(shotID: $0.shotID, version: $0.version) }
                        request.journal = submissions.journal(jobID: jobID, items: keys, stored: request.submission)
                    }
                    return (id, request)
                }
                tasks.addTask {
                    var results: [(group: Int, result: HashResult)] = []
                    for (id, request) in requests { results.append((id, await render(request))) }
                    return results
                }
            }
            var concurrency = settings.concurrency
            if settings.background && !provider.canHang {
                concurrency = min(concurrency, max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
            }
            for _ in 0..<concurrency { try startNext() }
            while let batch = try await tasks.next() {
                for (id, result) in batch {
                    progress.providerCalls += result.calls
                    progress.retries += max(0, result.calls - 1)
                    let settlement = result.cancelled
                        ? nil
                        : HashGroups.Settlement(
                            state: result.artifact != nil ? .done : (result.failure?.kind == .blocked ? .blocked : .failed),
                            error: result.failure?.message)
                    guard let group = groups.close(id, settlement: settlement) else { continue }
                    // Stopped by its own process (not cancelled by a user): the items stay
                    // queued, to render when the job resumes.
                    if result.cancelled && !cancelled && Task.isCancelled { continue }
                    func finish(_ request: RenderRequest, first: Bool) {
                        let state: JobItem.State
                        if result.cancelled {
                            state = .cancelled
                        } else if result.artifact != nil {
                            state = first ? .done : .cached
                            if first { progress.done += 1 } else { progress.cached += 1 }
                        } else {
                            state = result.failure?.kind == .blocked ? .blocked : .failed
                            progress.failed += 1
                            events?.yield(.itemFailed(
                                jobID: jobID, shotID: request.shotID, version: request.version, message: result.failure?.message ?? "failed"))
                        }
                        pending.append(ItemOutcome(
                            itemID: request.jobItemID, state: state, attempts: result.attempts,
                            error: result.failure?.message, durationMS: result.durationMS, artifact: first ? result.artifact : nil))
                    }
                    finish(group.first, first: true)
                    for request in group.more { finish(request, first: false) }
                }
                try flush(force: false)
                if cancelled { tasks.cancelAll() } else { try startNext() }
            }
        }
        try flush(force: true)
        if Task.isCancelled && !cancelled {
            // The process is stopping (the TUI quits): the job waits to resume, nothing is lost.
            try store.pauseJob(jobID)
            progress.elapsed = seconds(since: started)
            events?.yield(.finished(jobID: jobID, state: .queued, progress: progress))
            return .queued
        }
        let state = try store.finishJob(jobID, at: clock())
        progress.elapsed = seconds(since: started)
        events?.yield(.finished(jobID: jobID, state: state, progress: progress))
        return state
    }

    /// Renders one spec: attempts with a timeout each, retried per the policy, the image stored
    /// content-addressed before the result is returned.
    private func render(_ request: RenderRequest) async -> HashResult {
        let started = ContinuousClock.now
        var attempts = 0
        while true {
            attempts += 1
            do {
                let image = provider.canHang
                    ? try await withTimeout(settings.itemTimeout) { try await provider.render(request) }
                    : try await provider.render(request)
                let stored = try files.store(image.bytes, fileExtension: Self.fileExtension(image.mime), sha256: image.sha256)
                let metadata = image.metadata.isEmpty ? nil : metadataText.text(for: image.metadata)
                let artifact = StoredArtifact(
                    hash: request.hash, path: stored.path, imageSHA256: stored.sha256, mime: image.mime, width: image.width,
                    height: image.height, byteCount: image.bytes.count, provider: provider.name,
                    metadata: metadata, compiledPrompt: image.sentPrompt)
                return HashResult(artifact: artifact, attempts: attempts, calls: attempts, durationMS: milliseconds(since: started))
            } catch {
                if error is CancellationError || Task.isCancelled {
                    return HashResult(cancelled: true, attempts: attempts, calls: attempts, durationMS: milliseconds(since: started))
                }
                let failure = (error as? RenderFailure) ?? RenderFailure(.terminal, String(describing: error))
                if let delay = settings.retry.delay(after: failure, attempt: attempts) {
                    do { try await Task.sleep(for: .seconds(delay)) } catch {
                        return HashResult(cancelled: true, attempts: attempts, calls: attempts, durationMS: milliseconds(since: started))
                    }
                    continue
                }
                let final = failure.isRetryable
                    ? RenderFailure(failure.kind, "\(failure.message) (gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"))") : failure
                return HashResult(failure: final, attempts: attempts, calls: attempts, durationMS: milliseconds(since: started))
            }
        }
    }

    /// Runs `body`, failing with a retryable timeout after `seconds`. When the task is
    /// cancelled, `body` decides the outcome: a render that had already finished is returned
    /// (and committed) rather than lost to the timer's cancellation, which would render it
    /// again on the next run.
    private func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        return try await withThrowingTaskGroup(of: TimedOutcome<T>.self) { group in
            group.addTask { .value(try await body()) }
            group.addTask {
                do { try await Task.sleep(for: .seconds(seconds)) } catch { return .timerCancelled }
                return .timedOut
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                switch outcome {
                case .value(let value): return value
                case .timedOut: throw RenderFailure(.retryable(retryAfter: nil), "timed out after \(Int(seconds)) s")
                case .timerCancelled: continue
                }
            }
            throw CancellationError()
        }
    }

    private enum TimedOutcome<T: Sendable>: Sendable { case value(T), timedOut, timerCancelled }

    static func fileExtension(_ mime: String) -> String {
        switch mime {
        case "image/jpeg": return "jpg"
        case "image/webp": return "webp"
        default: return "png"
        }
    }
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    (ContinuousClock.now - start).seconds
}

private func milliseconds(since start: ContinuousClock.Instant) -> Int {
    Int((seconds(since: start) * 1000).rounded())
}

/// Provider metadata as stored text, remembering the last one: renders that share a look share
/// their metadata, and writing the same JSON 100k times is wasted work.
private final class MetadataText: Sendable {
    private let last = Mutex<(JSONObject, String)?>(nil)

    func text(for metadata: JSONObject) -> String {
        if let (object, text) = last.withLock({ $0 }), object == metadata { return text }
        let text = JSONWriter.compact(.object(metadata))
        last.withLock { $0 = (metadata, text) }
        return text
    }
}
