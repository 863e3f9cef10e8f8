import Foundation
import Synchronization
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// A provider that fails as told, per shot, and counts its calls.
final class ScriptedProvider: RenderProvider {
    let name = "scripted"
    let canHang = false
    let calls = Mutex<[String: Int]>([:])
    let script: [String: [RenderFailure]]

    init(_ script: [String: [RenderFailure]] = [:]) { self.script = script }

    var totalCalls: Int { calls.withLock { $0.values.reduce(0, +) } }

    func render(_ request: RenderRequest) async throws -> RenderedImage {
        let attempt = calls.withLock { counts -> Int in
            counts[request.shotID, default: 0] += 1
            return counts[request.shotID]!
        }
        if let failures = script[request.shotID], attempt <= failures.count { throw failures[attempt - 1] }
        return try MockProvider.image(for: request)
    }
}

@Suite struct RenderEngineTests {
    static let fast = RenderSettings(concurrency: 3, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0, maxDelay: 0, random: { 0 }))

    @Test(arguments: StoreKind.all) func renderingMakesVersionsApprovableAndIsCachedByHash(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let provider = ScriptedProvider()
        let job = try #require(try engine.enqueueRender(batchID: batch))
        let results = try await engine.runPendingJobs(provider: provider, settings: Self.fast)
        #expect(results.map(\.state) == [.done])
        #expect(results.map(\.jobID) == [job])
        #expect(provider.totalCalls == 3)
        #expect(try engine.version(of: "PROD-002").renderStatus == .rendered)
        let artifact = try #require(try engine.artifact(for: try engine.version(of: "PROD-002")))
        let bytes = try ArtifactFiles(projectDirectory: project.directory).read(artifact.path)
        #expect(SHA256Hex.digest(bytes) == artifact.imageSHA256)
        _ = try engine.approve(["PROD-002"], reviewer: "ana")

        // Nothing new to render; forcing one shot renders it again, through a new job.
        #expect(try engine.enqueueRender(batchID: batch) == nil)
        #expect(try engine.enqueueRender(shots: ["PROD-001"], force: true) != nil)
        _ = try await engine.runPendingJobs(provider: provider, settings: Self.fast)
        #expect(provider.totalCalls == 4)
    }

    @Test(arguments: StoreKind.all) func aQueuedJobWhoseHashIsRenderedMakesNoProviderCall(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        _ = try engine.enqueueRender(batchID: batch)
        _ = try await engine.runPendingJobs(provider: ScriptedProvider(), settings: Self.fast)
        // A patch back to v1's spec gives v1's hash: its queued render is a cache hit.
        _ = try engine.rerender("PROD-003", patches: [.merge(["camera": ["fov": 50]])])
        let back = try engine.rerender("PROD-003", patches: [.merge(["camera": ["fov": 45]])])
        #expect(back.version.hash == (try engine.version(of: "PROD-003", number: 1)).hash)
        let provider = ScriptedProvider()
        _ = try await engine.runPendingJobs(provider: provider, settings: Self.fast)
        #expect(provider.totalCalls == 1)
        let items = try engine.jobItems(back.jobID)
        #expect(items.map(\.state) == [.cached])
    }

    @Test(arguments: StoreKind.all) func failuresAreRetriedBoundedAndClassified(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let provider = ScriptedProvider([
            "PROD-001": [RenderFailure(.retryable(retryAfter: nil), "503"), RenderFailure(.retryable(retryAfter: 0), "429")],
            "PROD-002": [RenderFailure(.terminal, "400 bad request")],
            "PROD-003": Array(repeating: RenderFailure(.retryable(retryAfter: nil), "502"), count: 5),
        ])
        let job = try #require(try engine.enqueueRender(batchID: batch))
        let (events, continuation) = AsyncStream<RenderEvent>.makeStream()
        let results = try await engine.runPendingJobs(provider: provider, settings: Self.fast, events: continuation)
        continuation.finish()
        #expect(results.map(\.state) == [.failed])
        #expect(provider.calls.withLock { $0 } == ["PROD-001": 3, "PROD-002": 1, "PROD-003": 3])
        let items = Dictionary(uniqueKeysWithValues: try engine.jobItems(job).map { ($0.shotID, $0) })
        #expect(items["PROD-001"]?.state == .done && items["PROD-001"]?.attempts == 3)
        #expect(items["PROD-002"]?.state == .failed && items["PROD-002"]?.error == "400 bad request")
        #expect(items["PROD-003"]?.state == .failed && items["PROD-003"]?.error == "502 (gave up after 3 attempts)")
        var failures = 0
        for await event in events { if case .itemFailed = event { failures += 1 } }
        #expect(failures == 2)
        let metrics = try engine.metrics()
        #expect(metrics.rendersExecuted == 1 && metrics.failures == 2 && metrics.retries == 4 && metrics.queueDepth == 0)
        #expect(metrics.jobsByState[.failed] == 1)
        #expect(metrics.renderSecondsP50 != nil)

        // Retry re-queues the failed items only; they now succeed.
        #expect(try engine.retryJob(job) == 2)
        let again = try await engine.runPendingJobs(provider: ScriptedProvider(), settings: Self.fast)
        #expect(again.map(\.state) == [.done])
    }

    @Test(arguments: StoreKind.all) func blockedIsAFinalOutcome(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let job = try #require(try engine.enqueueRender(shots: ["PROD-001"]))
        _ = try await engine.runPendingJobs(provider: ScriptedProvider(["PROD-001": [RenderFailure(.blocked, "moderation")]]), settings: Self.fast)
        #expect(try engine.jobItems(job).first?.state == .blocked)
        #expect(try engine.version(of: "PROD-001").renderStatus == .blocked)
    }

    @Test(arguments: StoreKind.all) func anInterruptedJobResumesWithoutRenderingFinishedItemsAgain(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let job = try #require(try engine.enqueueRender(batchID: batch))
        // As a crash leaves it: the job running, one item committed, the others not.
        try engine.store.startJob(job, provider: "scripted", at: Date())
        let first = try #require(try engine.store.renderRequests(jobID: job).first)
        let image = try MockProvider.image(for: first)
        let stored = try ArtifactFiles(projectDirectory: project.directory).store(image.bytes, fileExtension: "png")
        try engine.store.recordOutcomes([ItemOutcome(
            itemID: first.jobItemID, state: .done, attempts: 1, durationMS: 1,
            artifact: StoredArtifact(hash: first.hash, path: stored.path, imageSHA256: stored.sha256, mime: "image/png", width: 1, height: 1,
                                     byteCount: image.bytes.count, provider: "scripted", metadata: "{}", compiledPrompt: nil))], jobID: job, at: Date())
        let provider = ScriptedProvider()
        let results = try await engine.runPendingJobs(provider: provider, settings: Self.fast)
        #expect(results.map(\.state) == [.done])
        #expect(provider.totalCalls == 2)
        #expect(provider.calls.withLock { $0[first.shotID] } == nil)
        #expect(try engine.store.integrityCheck() == "ok")
    }

    @Test(arguments: StoreKind.all) func cancellingAJobStopsIt(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let job = try #require(try engine.enqueueRender(batchID: batch))
        #expect(try engine.cancelJob(job))
        #expect(try engine.cancelJob(job) == false)
        let provider = ScriptedProvider()
        #expect(try await engine.runPendingJobs(provider: provider, settings: Self.fast).isEmpty)
        #expect(provider.totalCalls == 0)
        #expect(try engine.job(job).counts[.cancelled] == 3)
        #expect(try engine.retryJob(job) == 3)
        #expect(try await engine.runPendingJobs(provider: provider, settings: Self.fast).map(\.state) == [.done])
    }

    /// One renderer per embedded project (a shared one has render boxes: `RenderLeasesTests`).
    @Test func onlyOneProcessRendersAnEmbeddedProjectAtATime() throws {
        let project = try TestProject(.sqlite)
        let engine = try project.engine()
        let second = try project.engine()
        let exclusive = try #require(engine.store as? any ExclusiveRendering)
        let lock = try exclusive.takeRenderLock(projectDirectory: project.directory)
        let other = try #require(second.store as? any ExclusiveRendering)
        #expect(throws: EngineError.self) { try other.takeRenderLock(projectDirectory: project.directory) }
        lock.release()
        try other.takeRenderLock(projectDirectory: project.directory).release()
    }

    @Test func retryPolicyBacksOffWithJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 5, random: { 0.5 })
        let busy = RenderFailure(.retryable(retryAfter: nil), "503")
        #expect(policy.delay(after: busy, attempt: 1) == 0.75)
        #expect(policy.delay(after: busy, attempt: 2) == 1.5)
        #expect(policy.delay(after: busy, attempt: 3) == 3)
        #expect(policy.delay(after: busy, attempt: 4) == nil)
        #expect(policy.delay(after: RenderFailure(.retryable(retryAfter: 2), "429"), attempt: 1) == 2)
        #expect(policy.delay(after: RenderFailure(.retryable(retryAfter: 60), "429"), attempt: 1) == 5)
        #expect(policy.delay(after: RenderFailure(.terminal, "400"), attempt: 1) == nil)
    }
}

/// A provider that renders `free` requests at once and holds the rest at a gate until the test
/// opens it (or the render is cancelled): what happens when is decided by the test, not by timing.
final class GatedProvider: RenderProvider {
    let name = "gated"
    let canHang = true
    let calls = Mutex<[String: Int]>([:])
    private struct Gate {
        var free: Int
        var open = false
        var blocked: CheckedContinuation<Void, Never>?
        var isBlocked = false
        var waiting: [UUID: CheckedContinuation<Void, any Error>] = [:]
        /// Callers of `waiting(_:)`: resumed once that many renders wait at the gate.
        var counting: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Takes the `counting` callers that may go on now.
        mutating func countReached() -> [CheckedContinuation<Void, Never>] {
            let reached = counting.filter { $0.count <= waiting.count }.map(\.continuation)
            counting.removeAll { $0.count <= waiting.count }
            return reached
        }
    }
    private let gate: Mutex<Gate>

    init(free: Int) {
        gate = Mutex(Gate(free: free))
    }

    func render(_ request: RenderRequest) async throws -> RenderedImage {
        let passes = gate.withLock { gate -> Bool in
            if gate.open || gate.free > 0 {
                gate.free -= 1
                return true
            }
            return false
        }
        if !passes {
            let id = UUID()
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let resume: CheckedContinuation<Void, Never>? = gate.withLock { gate in
                        if Task.isCancelled {
                            continuation.resume(throwing: CancellationError())
                            return nil
                        }
                        if gate.open {
                            continuation.resume()
                            return nil
                        }
                        gate.waiting[id] = continuation
                        gate.isBlocked = true
                        defer { gate.blocked = nil }
                        return gate.blocked
                    }
                    resume?.resume()
                    for reached in gate.withLock({ $0.countReached() }) { reached.resume() }
                }
            } onCancel: {
                gate.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CancellationError())
            }
        }
        calls.withLock { $0[request.shotID, default: 0] += 1 }
        return try MockProvider.image(for: request)
    }

    /// Returns once a render waits at the closed gate.
    func blocked() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = gate.withLock { gate -> Bool in
                if gate.isBlocked { return true }
                gate.blocked = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Returns once `count` renders wait at the closed gate together.
    func waiting(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = gate.withLock { gate -> Bool in
                if gate.waiting.count >= count { return true }
                gate.counting.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Lets one waiting render through; the gate stays closed for the others.
    func releaseOne() {
        gate.withLock { gate in gate.waiting.keys.first.flatMap { gate.waiting.removeValue(forKey: $0) } }?.resume()
    }

    func open() {
        let waiting = gate.withLock { gate -> [CheckedContinuation<Void, any Error>] in
            gate.open = true
            defer { gate.waiting = [:] }
            return Array(gate.waiting.values)
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// A 30-shot batch planned and queued as one job, for the gated-provider tests.
func plannedJobOf30(_ project: TestProject, prefix: String) throws -> (Engine, Int64) {
    let engine = try project.engine()
    var csv = "sku,product_name,finish\n"
    for index in 1...30 { csv += "\(prefix)\(index),Item \(index),matte\n" }
    let batch = try engine.ingest(try project.file("\(prefix.lowercased()).csv", csv)).batchID
    _ = try engine.plan(batchID: batch)
    return (engine, try #require(try engine.enqueueRender(batchID: batch)))
}

@Suite struct RenderCancelTests {
    /// `autodirector cancel` while a job runs: the renderer sees it at its next commit, cancels
    /// the render still in flight (committed as cancelled, not left queued), and starts nothing
    /// more; what finished before stays done.
    @Test(arguments: StoreKind.all) func aJobCancelledWhileRunningStopsItsRendersInFlight(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, job) = try plannedJobOf30(project, prefix: "C")
        // Three render; the next two wait at the gate together.
        let provider = GatedProvider(free: 3)
        let settings = RenderSettings(concurrency: 2, flushInterval: 0)
        let task = Task { try await engine.runPendingJobs(provider: provider, settings: settings) }
        await provider.waiting(2)
        #expect(try engine.cancelJob(job))
        // One of the two finishes: its commit is where the renderer looks for a cancel.
        provider.releaseOne()
        let results = try await task.value
        #expect(results.map(\.state) == [.cancelled])
        let ended = try engine.job(job)
        #expect(ended.counts[.done] == 4, "the three free renders and the one let through")
        #expect(ended.counts[.cancelled] == 26, "the render in flight and every item not started")
        #expect(ended.counts[.queued] == nil && ended.counts[.running] == nil)
        #expect(provider.calls.withLock { $0.count } == 4, "nothing was started after the cancel")
    }
}

@Suite struct RenderPauseTests {
    /// The TUI quitting stops its render task: the job goes back to the queue with its
    /// unfinished items, and the next run finishes it without rendering anything twice.
    @Test(arguments: StoreKind.all) func aStoppedRenderTaskLeavesTheJobQueuedToResume(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, job) = try plannedJobOf30(project, prefix: "K")
        // Three render; the fourth waits at the gate when the task is stopped.
        let provider = GatedProvider(free: 3)
        let settings = RenderSettings(concurrency: 1, flushInterval: 0)
        let task = Task { try await engine.runPendingJobs(provider: provider, settings: settings) }
        await provider.blocked()
        task.cancel()
        _ = try await task.value
        let paused = try engine.job(job)
        #expect(paused.state == .queued)
        #expect(paused.counts[.cancelled] == nil)
        #expect(paused.counts[.done] == 3)
        #expect(paused.counts[.queued] == 27)

        provider.open()
        let results = try await engine.runPendingJobs(provider: provider, settings: settings)
        #expect(results.map(\.state) == [.done])
        #expect(try engine.job(job).counts[.done] == 30)
        #expect(provider.calls.withLock { $0.count == 30 && $0.values.allSatisfy { $0 == 1 } }, "every shot rendered exactly once")
    }
}
