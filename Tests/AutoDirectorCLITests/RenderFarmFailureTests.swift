import AutoDirectorCore
import Foundation
import Testing
import ThrowawayPostgres

/// Render boxes failing as machines do (SPEC §16, issue 22): real `worker` processes on one
/// throwaway PostgreSQL, rendering through the fake Bria API, which counts what it would bill,
/// while a reviewer approves and patches. Each ends with every item rendered or parked, Bria
/// paid at most once per structured prompt, and every acknowledged review action kept.
// One at a time: each runs several render boxes, and four farms at once starve the rest of the
// suite on a 2-core machine.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable), .serialized) struct RenderFarmFailureTests {
    /// Three boxes at 200 ms per submit; one is killed with -9 at a different moment in each of
    /// twenty rounds and a fresh one takes its place. Most kills land while the box has submits
    /// on the wire ("sending" recorded, no answer yet): those items are parked, never sent again.
    @Test func boxesKilledMidRenderLoseNothingAndPayNothingTwice() async throws {
        let farm = try await RenderFarm.start(items: 200)
        defer { farm.killBoxes() }
        let reviewer = FarmReviewer(farm)
        var boxes = try (0..<3).map { try farm.box("box-\($0)") }
        let rounds = 20
        for round in 0..<rounds {
            let target = (round + 1) * farm.items / (rounds + 4)
            try await farm.until("\(target) items have ended") { try farm.ended() >= target }
            // Kill moments spread over a render: before, around and after the submit's answer.
            try await Task.sleep(for: .milliseconds(round * 137 % 400))
            let victim = round % boxes.count
            kill(boxes[victim].0.processIdentifier, SIGKILL)
            await boxes[victim].1.wait()
            let name = "box-\(victim)-r\(round + 1)"
            boxes[victim] = try farm.box(name)
            try await farm.until("\(name) has started") { try farm.engine.workers().contains { $0.name == name } }
        }
        try await farm.untilEveryJobHasEnded()
        try await reviewer.finishAndCheck(farm.engine)
        await farm.stop(boxes)
        // A box killed with submits on the wire leaves each of them parked: at most its
        // --concurrency per kill.
        try farm.expectNothingLostNothingPaidTwice(parkedAtMost: rounds * 4)
        #expect(farm.server.paidSubmits.count >= (try farm.engine.job(farm.job).counts[.done] ?? 0), "every rendered item was paid for once")
        await farm.shutDown()
    }

    /// SIGSTOP past the lease, then SIGCONT: the other box takes the stalled one's items over;
    /// the stalled box's writes about them change nothing (counted as lost leases), and it
    /// goes on claiming and rendering.
    @Test func aBoxStalledPastItsLeaseIsFencedAndGoesOn() async throws {
        let farm = try await RenderFarm.start(items: 120)
        defer { farm.killBoxes() }
        let reviewer = FarmReviewer(farm)
        let stalled = try farm.box("stalled")
        let steady = try farm.box("steady", concurrency: 1)
        let engine = farm.engine
        try await farm.until("the stalled box holds items") {
            try engine.jobItems(farm.job, states: [.running]).contains { $0.box == "stalled" } && farm.ended() >= 4
        }
        kill(stalled.0.processIdentifier, SIGSTOP)
        let held = try engine.jobItems(farm.job, states: [.running]).filter { $0.box == "stalled" }.map(\.shotID)
        try await farm.until("the steady box took the stalled box's items over") {
            try engine.jobItems(farm.job).filter { held.contains($0.shotID) }.allSatisfy { $0.state.isFinal || $0.box != "stalled" }
        }
        let before = try #require(try engine.workers().first { $0.name == "stalled" })
        kill(stalled.0.processIdentifier, SIGCONT)
        // The steady box stops (gracefully): the stalled one is left to finish the work, and gets
        // some of its own (the steady box may have rendered everything meanwhile).
        await farm.stop([steady])
        let rendered = try #require(try engine.jobItems(farm.job, states: [.done]).first?.shotID)
        _ = try engine.rerender(rendered, patches: [.merge(["camera": ["fov": 77]])])
        try await farm.until("the stalled box renders again") {
            (try engine.workers().first { $0.name == "stalled" }?.rendersDone ?? 0) > before.rendersDone
        }
        try await farm.untilEveryJobHasEnded()
        try farm.expectNoticedItsLostLeases("stalled")
        #expect(stalled.0.isRunning, "the stalled box went on after SIGCONT:\n\(farm.boxOutput)")
        try await reviewer.finishAndCheck(engine)
        await farm.stop([stalled])
        try farm.expectNothingLostNothingPaidTwice(parkedAtMost: 4)
        await farm.shutDown()
    }

    /// PostgreSQL restarted under load: every box waits for it, gives back what it was
    /// rendering, and goes on; none exits.
    @Test func theDatabaseRestartedUnderLoad() async throws {
        let server = try ThrowawayPostgres.start()
        defer { server.destroy() }
        let database = try server.createDatabase("farm")
        let farm = try await RenderFarm.start(items: 150, database: server.urlText(database: database.database))
        defer { farm.killBoxes() }
        let reviewer = FarmReviewer(farm)
        let boxes = try (0..<3).map { try farm.box("box-\($0)") }
        try await farm.until("30 items have ended") { try farm.ended() >= 30 }
        server.stopServer()
        // Down for a moment, as a restart is.
        try await Task.sleep(for: .milliseconds(800))
        try server.startServer()
        try await farm.untilEveryJobHasEnded()
        for (process, _) in boxes { #expect(process.isRunning, "a box exited when the database went away:\n\(farm.boxOutput)") }
        try await reviewer.finishAndCheck(farm.engine)
        await farm.stop(boxes)
        // Each box's submits on the wire when the database went away are parked.
        try farm.expectNothingLostNothingPaidTwice(parkedAtMost: 3 * 4)
        await farm.shutDown()
    }

    /// A box cut off the network (its network namespace's link taken down) while it renders:
    /// its connections hang, its leases expire and the others take its items over; when the
    /// link comes back its late writes change nothing, and it goes on.
    @Test func aBoxCutOffTheNetworkIsFencedWhenItReturns() async throws {
        let network = try NetworkNamespace.create()
        defer { network.destroy() }
        let server = try ThrowawayPostgres.start()
        defer { server.destroy() }
        // The database listens on the link too, and lets the namespace's box in with the password.
        let rules = server.dataDirectory.appendingPathComponent("pg_hba.conf")
        try (String(contentsOf: rules, encoding: .utf8) + "host all all \(network.hostAddress)/30 scram-sha-256\n")
            .write(to: rules, atomically: false, encoding: .utf8)
        server.stopServer()
        try server.startServer(settings: ["listen_addresses": "127.0.0.1,\(network.hostAddress)"])
        let database = try server.createDatabase("farm")
        let url = server.urlText(database: database.database).replacingOccurrences(of: "@127.0.0.1:", with: "@\(network.hostAddress):")
        let farm = try await RenderFarm.start(items: 120, database: url, briaHost: network.hostAddress)
        defer { farm.killBoxes() }
        let reviewer = FarmReviewer(farm)
        let engine = farm.engine
        let near = try (1...2).map { try farm.box("near-\($0)", concurrency: 2) }
        let far = try farm.box("far", namespace: network)
        try await farm.until("the far box holds items") {
            try engine.jobItems(farm.job, states: [.running]).contains { $0.box == "far" } && farm.ended() >= 8
        }
        try network.cut()
        let held = try engine.jobItems(farm.job, states: [.running]).filter { $0.box == "far" }.map(\.shotID)
        try await farm.until("the near boxes took the far box's items over") {
            try engine.jobItems(farm.job).filter { held.contains($0.shotID) }.allSatisfy { $0.state.isFinal || $0.box != "far" }
        }
        let before = try #require(try engine.workers().first { $0.name == "far" })
        try network.restore()
        // The near boxes stop (gracefully): the far one is left to finish the work, and gets
        // some of its own (the near boxes may have rendered everything while it was away).
        await farm.stop(near)
        let rendered = try #require(try engine.jobItems(farm.job, states: [.done]).first?.shotID)
        _ = try engine.rerender(rendered, patches: [.merge(["camera": ["fov": 77]])])
        try await farm.until("the far box renders again") {
            (try engine.workers().first { $0.name == "far" }?.rendersDone ?? 0) > before.rendersDone
        }
        try await farm.untilEveryJobHasEnded()
        try farm.expectNoticedItsLostLeases("far")
        #expect(far.0.isRunning, "the far box went on after the network came back:\n\(farm.boxOutput)")
        try await reviewer.finishAndCheck(engine)
        await farm.stop([far])
        try farm.expectNothingLostNothingPaidTwice(parkedAtMost: 4)
        await farm.shutDown()
    }
}
