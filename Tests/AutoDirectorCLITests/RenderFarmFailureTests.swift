import AutoDirectorCore
import FakeBriaServer
import Foundation
import Testing
import ThrowawayPostgres

/// Render boxes killed at random moments (SPEC §16, issue 22): real `worker` processes on one
/// throwaway PostgreSQL, rendering through the fake Bria API, which counts what it would bill.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct RenderFarmFailureTests {
    static let token = "farm-secret-token-7c2e"

    /// Three boxes at 200 ms per submit; one is killed with -9 at a different moment in each of
    /// eight rounds and a fresh one takes its place. Every item ends rendered or parked (a submit
    /// whose answer died with its box; never sent again), and Bria was paid at most once per structured prompt.
    @Test func boxesKilledMidRenderLoseNothingAndPayNothingTwice() async throws {
        let cli = try CLIHarness(.postgres)
        defer { cli.cleanUp() }
        let server = try await FakeBriaServer.start(token: Self.token, options: .init(latency: .milliseconds(200)))
        let items = 100
        let engine = try await WorkerProcessTests.plannedJob(cli, items: items)
        let job = try #require(try engine.jobs().first)
        var environment = try WorkerProcessTests.environment(cli, latencyMS: 0)
        environment.merge([
            "FIBO_PROVIDER": "bria", "BRIA_API_TOKEN": Self.token, "FIBO_API_BASE": server.baseURL, "FIBO_POLL_SECONDS": "0",
            "FIBO_RATE_LIMIT_RPM": "100000", "AUTODIRECTOR_LEASE_SECONDS": "2", "AUTODIRECTOR_REAPER_SECONDS": "0.5",
        ]) { $1 }
        func start(_ name: String) throws -> (Process, ProcessExit) {
            try CrashRecoveryTests.launch(["worker", "--name", name, "--concurrency", "4"], environment: environment)
        }
        var boxes = try (0..<3).map { try start("box-\($0)") }

        // Kill moments spread over a render: before, around and after the submit's answer.
        for (round, delay) in [30, 150, 240, 380, 0, 90, 200, 320].enumerated() {
            let target = (round + 1) * items / 10
            try await WorkerProcessTests.until("\(target) items have ended") {
                let counts = try engine.job(job.id).counts
                return (counts[.done] ?? 0) + (counts[.failed] ?? 0) >= target
            }
            try await Task.sleep(for: .milliseconds(delay))
            let victim = round % boxes.count
            kill(boxes[victim].0.processIdentifier, SIGKILL)
            await boxes[victim].1.wait()
            let name = "box-\(victim)-r\(round + 1)"
            boxes[victim] = try start(name)
            try await WorkerProcessTests.until("\(name) has started") { try engine.workers().contains { $0.name == name } }
        }
        try await WorkerProcessTests.until("the job has ended") { try ![.queued, .running].contains(engine.job(job.id).state) }
        for (process, exit) in boxes {
            kill(process.processIdentifier, SIGTERM)
            await exit.wait()
            #expect(process.terminationStatus == 0)
        }

        let counts = try engine.job(job.id).counts
        #expect((counts[.done] ?? 0) + (counts[.failed] ?? 0) == items, "every item rendered or parked: \(counts)")
        // A box killed while its submits were on the wire leaves each of them parked: at most
        // its --concurrency per kill.
        #expect(counts[.failed] ?? 0 <= 8 * 4, "parked items: \(counts)")
        #expect(server.duplicatePaidSubmits == 0, "Bria was paid twice for \(server.paidSubmits.filter { $0.value > 1 })")
        #expect(server.paidSubmits.count >= counts[.done] ?? 0, "every rendered item was paid for once")
        for item in try engine.jobItems(job.id, states: [.failed]) {
            #expect(item.error?.contains("not sent again automatically") == true, "\(item.shotID): \(item.error ?? "-")")
        }
        await server.shutdown()
    }
}
