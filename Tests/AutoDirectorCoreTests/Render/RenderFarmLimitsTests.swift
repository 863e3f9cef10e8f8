import Foundation
import Synchronization
import Testing
@testable import AutoDirectorCore

/// Limits that hold for the whole render farm, not per box (SPEC §16): the provider's requests
/// per minute, and a cap on items in flight across every box.
@Suite struct RenderFarmLimitsTests {
    /// Two boxes reserving requests to one endpoint get one schedule: each reservation is
    /// spaced `60 / perMinute` seconds after the last, whoever made it.
    @Test func boxesShareOneRequestSchedule() throws {
        let project = try TestProject(.postgres)
        let (first, _) = try project.plannedSample()
        let second = try first.secondMachine(of: project)
        let (a, b) = (try Self.pacing(first), try Self.pacing(second))
        // 600 a minute: a request every 100 ms, no burst.
        let waits = try [a, b, a, b].map { try $0.reserveRequest(endpoint: "bria image/generate", perMinute: 600, burst: 1) }
        #expect(waits[0] < 0.05, "\(waits)")
        for (index, wait) in waits.enumerated().dropFirst() {
            #expect(abs(wait - Double(index) * 0.1) < 0.05, "reservation \(index) waits \(wait) s: \(waits)")
        }
        // Another endpoint has a schedule of its own.
        #expect(try a.reserveRequest(endpoint: "bria status", perMinute: 600, burst: 1) < 0.05)
    }

    /// A burst of N lets N requests leave at once after a quiet spell, as the local bucket does.
    @Test func aBurstLeavesAtOnce() throws {
        let project = try TestProject(.postgres)
        let (engine, _) = try project.plannedSample()
        let pacing = try Self.pacing(engine)
        let waits = try (0..<4).map { _ in try pacing.reserveRequest(endpoint: "e", perMinute: 600, burst: 3) }
        #expect(waits[0...2].allSatisfy { $0 < 0.05 }, "\(waits)")
        #expect(abs(waits[3] - 0.1) < 0.05, "\(waits)")
    }

    /// The provider's limiter waits as the shared pacer says, naming its endpoint.
    @Test func theRateLimiterAsksTheSharedPacer() async throws {
        let pacer = RecordingPacer(wait: .milliseconds(1))
        let limiter = RateLimiter(endpoint: "bria status", perMinute: 120)
        try await limiter.acquire(sharedBy: pacer)
        try await limiter.acquire(sharedBy: pacer)
        #expect(pacer.asked.withLock { $0 } == [
            RecordingPacer.Asked(endpoint: "bria status", perMinute: 120, burst: 2), .init(endpoint: "bria status", perMinute: 120, burst: 2),
        ])
    }

    /// Two boxes of four slots each under a project cap of 3: never more than 3 renders at once
    /// across both, every item rendered once, and each render was handed the shared pacer.
    @Test func aCapHoldsAcrossBoxes() async throws {
        let project = try TestProject(.postgres)
        let engine = try project.engine()
        var csv = "sku,product_name\n"
        for index in 1...24 { csv += "L\(index),Lamp \(index)\n" }
        let batch = try engine.ingest(try project.file("lamps.csv", csv)).batchID
        _ = try engine.plan(batchID: batch)
        let job = try #require(try engine.enqueueRender(batchID: batch))
        let second = try engine.secondMachine(of: project)
        let provider = PeakProvider()
        var settings = RenderSettings(concurrency: 4)
        settings.maxInFlight = 3
        async let one = engine.runPendingJobs(provider: provider, settings: settings)
        async let two = second.runPendingJobs(provider: provider, settings: settings)
        _ = try await (one, two)
        #expect(try engine.job(job).state == .done)
        #expect(try engine.jobItems(job).allSatisfy { $0.state == .done && $0.attempts == 1 })
        let seen = provider.state.withLock { $0 }
        #expect(seen.calls == 24)
        #expect(seen.peak <= 3, "\(seen.peak) renders at once")
        #expect(seen.peak >= 2, "the cap was not the only thing that limited: \(seen.peak)")
        #expect(seen.withoutPacer == 0)
    }

    private static func pacing(_ engine: Engine) throws -> any SharedRequestPacing {
        try #require(engine.store as? any SharedRequestPacing)
    }
}

/// Records what it was asked; waits a fixed time.
private final class RecordingPacer: RequestPacer {
    struct Asked: Equatable, Sendable {
        var endpoint: String
        var perMinute: Double
        var burst: Int
    }

    let wait: Duration
    let asked = Mutex<[Asked]>([])

    init(wait: Duration) { self.wait = wait }

    func reserve(endpoint: String, perMinute: Double, burst: Int) async throws -> Duration {
        asked.withLock { $0.append(Asked(endpoint: endpoint, perMinute: perMinute, burst: burst)) }
        return wait
    }
}

/// A remote-like provider (it can hang, so each render is a task) that counts how many of its
/// renders overlap, across every box using it.
private final class PeakProvider: RenderProvider {
    struct State {
        var current = 0
        var peak = 0
        var calls = 0
        var withoutPacer = 0
    }

    let name = "mock"
    let canHang = true
    let state = Mutex(State())

    func render(_ request: RenderRequest) async throws -> RenderedImage {
        state.withLock {
            $0.current += 1
            $0.calls += 1
            $0.peak = max($0.peak, $0.current)
            if request.pacer == nil { $0.withoutPacer += 1 }
        }
        defer { state.withLock { $0.current -= 1 } }
        try await Task.sleep(for: .milliseconds(40))
        return try MockProvider.image(for: request)
    }
}
