import Testing
@testable import AutoDirectorCore

@Suite struct OutcomeBufferTests {
    static func request(_ item: Int64, hash: String = "h") -> RenderRequest {
        var request = RenderRequest(shotID: "S\(item)", version: 1, hash: hash, spec: [:], seed: 1)
        request.jobItemID = item
        return request
    }

    static func buffer(flushEvery: Int = 100, now: ContinuousClock.Instant = .now) -> OutcomeBuffer {
        OutcomeBuffer(
            progress: RenderProgress(jobID: 7, total: 10, done: 1, cached: 0, failed: 0, providerCalls: 0, retries: 0, elapsed: 0),
            flushEvery: flushEvery, flushInterval: 0.5, now: now)
    }

    static let artifact = StoredArtifact(
        hash: "h", path: "artifacts/ab/x.png", imageSHA256: "x", mime: "image/png", width: 1, height: 1, byteCount: 1, provider: "mock",
        metadata: nil, compiledPrompt: nil)

    @Test func theRequestThatRenderedIsDoneAndTheOthersWithItsHashAreCached() {
        var buffer = Self.buffer()
        let group = HashGroups.Group(first: Self.request(1), more: [Self.request(2), Self.request(3)])
        let failures = buffer.rendered(group, HashResult(artifact: Self.artifact, attempts: 2, durationMS: 40))
        #expect(failures.isEmpty)
        let outcomes = buffer.take(at: .now)
        #expect(outcomes.map(\.state) == [.done, .cached, .cached])
        #expect(outcomes.map { $0.artifact != nil } == [true, false, false])
        #expect(outcomes.map(\.attempts) == [2, 2, 2])
        // Counts continue from the job's: one item was done before this run.
        #expect(buffer.progress.done == 2)
        #expect(buffer.progress.cached == 2)
        #expect(buffer.progress.providerCalls == 2)
        #expect(buffer.progress.retries == 1)
    }

    @Test func aFailureFailsEveryRequestWithItsHashAndIsReportedForEach() {
        var buffer = Self.buffer()
        let group = HashGroups.Group(first: Self.request(1), more: [Self.request(2)])
        let failure = RenderFailure(.blocked, "refused by the provider")
        let events = buffer.rendered(group, HashResult(failure: failure, attempts: 1, durationMS: 5))
        #expect(events == [
            .itemFailed(jobID: 7, shotID: "S1", version: 1, message: "refused by the provider"),
            .itemFailed(jobID: 7, shotID: "S2", version: 1, message: "refused by the provider"),
        ])
        #expect(buffer.take(at: .now).map(\.state) == [.blocked, .blocked])
        #expect(buffer.progress.failed == 2)
    }

    @Test func requestsSettledWithoutARenderTakeTheirHashesEnd() {
        var buffer = Self.buffer()
        buffer.cached(Self.request(1))
        buffer.settled(Self.request(2), as: HashGroups.Settlement(state: .done, error: nil))
        buffer.settled(Self.request(3), as: HashGroups.Settlement(state: .failed, error: "timed out"))
        let outcomes = buffer.take(at: .now)
        #expect(outcomes.map(\.state) == [.cached, .cached, .failed])
        #expect(outcomes.map(\.error) == [nil, nil, "timed out"])
        #expect(outcomes.allSatisfy { $0.attempts == 0 && $0.artifact == nil })
        #expect(buffer.progress.cached == 2)
        #expect(buffer.progress.failed == 1)
    }

    @Test func aCancelledRenderCancelsItsRequestsWithoutCountingThem() {
        var buffer = Self.buffer()
        let group = HashGroups.Group(first: Self.request(1), more: [Self.request(2)])
        _ = buffer.rendered(group, HashResult(cancelled: true, attempts: 1, durationMS: 3))
        #expect(buffer.take(at: .now).map(\.state) == [.cancelled, .cancelled])
        #expect(buffer.progress.finished == 1)
    }

    @Test func aCommitIsDueByCountOrByTime() {
        let start = ContinuousClock.now
        var buffer = Self.buffer(flushEvery: 2, now: start)
        #expect(!buffer.isDue(at: start))
        buffer.cached(Self.request(1))
        #expect(!buffer.isDue(at: start))
        buffer.cached(Self.request(2))
        #expect(buffer.isDue(at: start))
        #expect(buffer.take(at: start).count == 2)
        #expect(buffer.pendingCount == 0)
        buffer.cached(Self.request(3))
        #expect(!buffer.isDue(at: start + .milliseconds(499)))
        #expect(buffer.isDue(at: start + .milliseconds(500)))
    }
}
