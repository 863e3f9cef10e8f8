import Foundation
import Testing
@testable import AutoDirectorCore

/// The render queue across machines (SPEC §16): boxes claim disjoint items under leases, a box
/// that lost its lease changes nothing, any box's reaper hands a dead box's items to the others,
/// and a submit that may have been paid for is never sent again.
@Suite struct RenderLeasesTests {
    private static let short = Duration.milliseconds(100)
    private static let long = Duration.seconds(120)

    private static func leases(_ engine: Engine) throws -> any RenderLeases {
        try #require(engine.store as? any RenderLeases)
    }

    /// Calls `reap` until it hands something back, within a deadline.
    private static func reapUntilSomethingExpires(_ leases: any RenderLeases) throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let reaped = try leases.reapExpiredLeases(at: TestProject.fixedDate)
            if reaped > 0 { return reaped }
            try #require(ContinuousClock.now < deadline, "no lease expired")
            usleep(20_000)
        }
    }

    @Test func boxesClaimDisjointItemsAndAStaleBoxChangesNothing() throws {
        let project = try TestProject(.postgres)
        let (first, batch) = try project.plannedSample()
        let second = try first.secondMachine(of: project)
        let job = try #require(try first.enqueueRender(batchID: batch))
        let (a, b) = (try Self.leases(first), try Self.leases(second))
        try a.registerWorker(name: "box-a", host: "host-a", pid: 1)
        try b.registerWorker(name: "box-b", host: "host-b", pid: 2)
        let looks = try first.store.renderLooks(jobID: job)

        let mine = try a.claimRenderRequests(jobID: job, limit: 1, lease: Self.short, looks: looks, maxInFlight: nil)
        let theirs = try b.claimRenderRequests(jobID: job, limit: 1, lease: Self.long, looks: looks, maxInFlight: nil)
        #expect(mine.count == 1 && theirs.count == 1)
        #expect(mine[0].jobItemID != theirs[0].jobItemID)
        #expect(mine[0].leaseAttempt == 1)

        // A stalls past its lease: the reaper (any box's) hands the item back and B takes it.
        #expect(try Self.reapUntilSomethingExpires(b) == 1)
        let taken = try b.claimRenderRequests(jobID: job, limit: 5, lease: Self.short, looks: looks, maxInFlight: nil)
        #expect(taken.map(\.jobItemID).contains(mine[0].jobItemID))
        let retaken = try #require(taken.first { $0.jobItemID == mine[0].jobItemID })
        #expect(retaken.leaseAttempt == 2)

        // A wakes up: its submit may not leave, and its outcome is not written.
        let stale = ItemLease(itemID: mine[0].jobItemID, attempt: 1)
        #expect(try a.recordLeasedSubmissions([([stale], .sending)], at: TestProject.fixedDate) == [false])
        let outcome = ItemOutcome(itemID: stale.itemID, state: .done, attempts: 1, error: nil, durationMS: 5, artifact: nil, leaseAttempt: 1)
        #expect(try a.recordLeasedOutcomes([outcome], jobID: job, at: TestProject.fixedDate) == 0)
        #expect(try a.heartbeat(lease: Self.long, state: .running) == 0, "A holds nothing any more")

        // B sends it and dies before the answer: whoever takes it next knows it may be paid for.
        let held = ItemLease(itemID: retaken.jobItemID, attempt: 2)
        #expect(try b.recordLeasedSubmissions([([held], .sending)], at: TestProject.fixedDate) == [true])
        #expect(try Self.reapUntilSomethingExpires(a) >= 1)
        let rescued = try a.claimRenderRequests(jobID: job, limit: 5, lease: Self.long, looks: looks, maxInFlight: nil)
        #expect(rescued.first { $0.jobItemID == held.itemID }?.submission == .sending)

        let boxes = try first.workers()
        #expect(Set(boxes.map(\.name)) == ["box-a", "box-b"])
        #expect(boxes.first { $0.name == "box-a" }?.lostLeases == 1)
        #expect(boxes.first { $0.name == "box-b" }?.inFlight == 1, "B still holds its long lease")
        try b.unregisterWorker()
        #expect(try first.workers().first { $0.name == "box-b" }?.state == .stopped)
    }

    @Test func aBoxThatDiesHasItsItemsRenderedByAnother() async throws {
        let project = try TestProject(.postgres)
        let (first, batch) = try project.plannedSample()
        let second = try first.secondMachine(of: project)
        let job = try #require(try first.enqueueRender(batchID: batch))
        // The first box claims everything and dies (it never writes again).
        let claimed = try Self.leases(first).claimRenderRequests(
            jobID: job, limit: 10, lease: Self.short, looks: try first.store.renderLooks(jobID: job), maxInFlight: nil)
        #expect(claimed.count == 3)

        var settings = RenderSettings(concurrency: 2)
        settings.lease = .seconds(2)
        settings.reaperInterval = .milliseconds(200)
        let results = try await second.runPendingJobs(provider: MockProvider(), settings: settings)
        #expect(results.map(\.state) == [.done])
        let items = try second.jobItems(job)
        #expect(items.allSatisfy { $0.state == .done && $0.box == WorkerOptions.defaultName })
        #expect(try second.workers().first?.rendersDone == 3)
        #expect(try second.workers().first?.state == .stopped)
    }

    @Test func twoBoxesRenderOneJobTogetherEachItemOnce() async throws {
        let project = try TestProject(.postgres)
        let (first, batch) = try project.plannedSample()
        let second = try first.secondMachine(of: project)
        let job = try #require(try first.enqueueRender(batchID: batch))
        let settings = RenderSettings(concurrency: 1)
        async let one = first.runPendingJobs(provider: MockProvider(latency: .milliseconds(50)), settings: settings)
        async let two = second.runPendingJobs(provider: MockProvider(latency: .milliseconds(50)), settings: settings)
        let (a, b) = try await (one, two)
        #expect(try first.job(job).state == .done)
        #expect(Set((a + b).map(\.jobID)).isSubset(of: [job]))
        let items = try first.jobItems(job)
        #expect(items.allSatisfy { $0.state == .done && $0.attempts == 1 })
        #expect(try first.workers().map(\.rendersDone).reduce(0, +) == 3)
    }

    @Test func aWorkerWaitsForWorkAndStopsWhenTold() async throws {
        let project = try TestProject(.postgres)
        let (first, batch) = try project.plannedSample()
        let stop = StopSignal()
        var options = WorkerOptions(name: "box-w")
        options.idlePoll = .milliseconds(50)
        let worker = Task {
            try await first.runWorker(provider: MockProvider(), settings: RenderSettings(concurrency: 2), options: options, keepWaiting: true, stop: stop)
        }
        // Work queued after the worker started is found and rendered.
        let job = try #require(try first.enqueueRender(batchID: batch))
        let deadline = ContinuousClock.now + .seconds(90)
        while try first.job(job).state != .done {
            try #require(ContinuousClock.now < deadline, "the worker did not render the job")
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try first.workers().first?.state == .running)
        stop.stop()
        _ = try await worker.value
        #expect(try first.workers().first?.state == .stopped)
    }
}
