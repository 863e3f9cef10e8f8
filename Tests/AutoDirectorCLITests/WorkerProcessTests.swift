import AutoDirectorCore
import Foundation
import Testing
import ThrowawayPostgres

/// `autodirector worker` as operators run it: real processes on one shared project, stopped with
/// SIGTERM (SPEC §16).
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct WorkerProcessTests {
    /// Two boxes render one job together; `workers` lists both; SIGTERM stops each with exit 0
    /// and leaves it listed as stopped.
    @Test func twoWorkersRenderAJobAndStopOnSIGTERM() async throws {
        let cli = try CLIHarness(.postgres)
        defer { cli.cleanUp() }
        let engine = try await Self.plannedJob(cli, items: 24)
        let environment = try Self.environment(cli, latencyMS: 50)
        let boxes = try ["box-a", "box-b"].map { name in
            try CrashRecoveryTests.launch(["worker", "--name", name, "--concurrency", "2"], environment: environment)
        }
        try await Self.until("the job is rendered") { try engine.jobs().first?.state == .done }
        try await Self.until("both boxes are registered") { try engine.workers().count == 2 }
        let listed = await cli.run(["workers"])
        #expect(listed.code == 0)
        #expect(listed.out.contains("box-a") && listed.out.contains("box-b") && listed.out.contains("running"), "\(listed.out)")
        #expect(try engine.workers().map(\.rendersDone).reduce(0, +) == 24, "each item rendered once, by one box")
        // Who rendered what: every item of the finished job names its box.
        let items = await cli.run(["jobs", "1", "--all"])
        #expect(items.out.contains("BOX") && items.out.components(separatedBy: "\n").filter { $0.hasPrefix("W") }.count == 24, "\(items.out)")
        #expect(items.out.contains("box-a") || items.out.contains("box-b"))
        let everyItem = try JSONParser.parse(await cli.run(["jobs", "1", "--all", "--json"]).out)
        #expect(everyItem["items"]?.arrayValue?.count == 24)
        #expect(await cli.run(["jobs", "--all"]).code != 0, "--all needs a job")
        let prometheus = await cli.run(["metrics", "--format", "prometheus"])
        #expect(prometheus.out.contains("autodirector_worker_renders_total{box=\"box-a\",host=\""), "\(prometheus.out)")
        #expect(prometheus.out.contains("autodirector_worker_heartbeat_age_seconds{box=\"box-b\""), "\(prometheus.out)")

        for (process, exit) in boxes {
            kill(process.processIdentifier, SIGTERM)
            await exit.wait()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        }
        #expect(try engine.workers().allSatisfy { $0.state == .stopped })
        let json = try JSONParser.parse(await cli.run(["workers", "--json"]).out)
        #expect(json.arrayValue?.compactMap { $0["state"]?.stringValue } == ["stopped", "stopped"])
    }

    /// SIGTERM in the middle of a job: the box finishes what it renders (within the grace),
    /// gives back what it had claimed and not started, and exits 0; another box finishes the
    /// job with nothing rendered twice.
    @Test func aStoppedWorkerGivesItsClaimedItemsBack() async throws {
        let cli = try CLIHarness(.postgres)
        defer { cli.cleanUp() }
        let engine = try await Self.plannedJob(cli, items: 30)
        let environment = try Self.environment(cli, latencyMS: 200)
        let (first, firstExit) = try CrashRecoveryTests.launch(
            ["worker", "--name", "first", "--concurrency", "1", "--grace", "20"], environment: environment)
        try await Self.until("the first box renders") { try engine.jobs().first.map { ($0.counts[.done] ?? 0) >= 1 } ?? false }
        kill(first.processIdentifier, SIGTERM)
        await firstExit.wait()
        #expect(first.terminationReason == .exit && first.terminationStatus == 0)
        let job = try #require(try engine.jobs().first)
        #expect(job.counts[.running] == nil, "nothing is left leased to a box that stopped")
        #expect((job.counts[.done] ?? 0) < 30)
        let done = Set(try engine.jobItems(job.id, states: [.done]).map(\.shotID))

        let (second, secondExit) = try CrashRecoveryTests.launch(["worker", "--name", "second"], environment: environment)
        try await Self.until("the second box finishes the job") { try engine.job(job.id).state == .done }
        kill(second.processIdentifier, SIGTERM)
        await secondExit.wait()
        #expect(second.terminationStatus == 0)
        let boxes = try engine.workers()
        #expect(boxes.first { $0.name == "second" }?.rendersDone == 30 - done.count, "the first box's renders were not done again")
        #expect(boxes.map(\.rendersDone).reduce(0, +) == 30)
    }

    /// `FIBO_BUDGET` on a box: it renders what today's budget pays for, says it is at the
    /// budget, claims nothing more (the rest waits queued) and still stops on SIGTERM with 0.
    @Test func aWorkerKeepsToTheDaysBudget() async throws {
        let cli = try CLIHarness(.postgres)
        defer { cli.cleanUp() }
        let engine = try await Self.plannedJob(cli, items: 6)
        var environment = try Self.environment(cli, latencyMS: 0)
        environment["FIBO_PRICE_PER_IMAGE"] = "0.04"
        environment["FIBO_BUDGET"] = "0.10"
        let log = cli.root.appendingPathComponent("box.log")
        let (box, exit) = try CrashRecoveryTests.launch(["worker", "--name", "thrifty", "--concurrency", "1"], environment: environment, output: log)
        try await Self.until("the box says it is at the budget") {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("At the day's budget (FIBO_BUDGET 0.10, 0.08 spent today)")
        }
        let job = try #require(try engine.jobs().first)
        #expect(job.counts[.done] == 2 && job.counts[.queued] == 4, "two renders fit 0.10: \(job.counts)")
        #expect(box.isRunning, "it waits for tomorrow")
        kill(box.processIdentifier, SIGTERM)
        await exit.wait()
        #expect(box.terminationReason == .exit && box.terminationStatus == 0)
    }

    /// A box started before its database answers waits for it (a machine that boots first)
    /// instead of exiting, saying so without the password, and stops on SIGTERM with exit 0.
    @Test func aWorkerWaitsForADatabaseThatIsNotUpYet() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let log = cli.root.appendingPathComponent("box.log")
        // Port 1 on loopback: nothing listens there.
        let (box, exit) = try CrashRecoveryTests.launch(
            ["worker", "--name", "early"],
            environment: [
                "AUTODIRECTOR_PROJECT": cli.project, "AUTODIRECTOR_DATABASE_URL": "postgres://u:hunter2-secret@127.0.0.1:1/db?sslmode=disable",
            ], output: log)
        try await Self.until("the box says it waits") {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("Trying again in 1 s")
        }
        #expect(box.isRunning)
        kill(box.processIdentifier, SIGTERM)
        await exit.wait()
        #expect(box.terminationReason == .exit && box.terminationStatus == 0)
        let said = try String(contentsOf: log, encoding: .utf8)
        #expect(said.contains("is unreachable") && !said.contains("hunter2-secret"), "\(said)")
    }

    /// On the embedded project there are no boxes to list.
    @Test func theEmbeddedProjectHasNoBoxes() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        _ = try cli.file("p.csv", "sku,product_name\nA1,Lamp\n")
        #expect(await cli.run(["ingest", cli.root.appendingPathComponent("p.csv").path]).code == 0)
        let listed = await cli.run(["workers"])
        #expect(listed.code == 0 && listed.out.contains("No render boxes"))
        #expect(await cli.run(["workers", "--json"]).out.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(await cli.run(["worker", "--name", ""]).code != 0)
    }

    /// A planned batch of `items` shots queued as one job, on the harness's shared project.
    static func plannedJob(_ cli: CLIHarness, items: Int) async throws -> Engine {
        var csv = "sku,product_name,finish\n"
        for index in 1...items { csv += "W\(index),Item \(index),matte\n" }
        let file = try cli.file("w.csv", csv)
        #expect(await cli.run(["ingest", file]).code == 0)
        #expect(await cli.run(["plan", "w"]).code == 0)
        let engine = try Engine(projectDirectory: URL(fileURLWithPath: cli.project), database: try DatabaseURL(try #require(cli.databaseURL)))
        #expect(try engine.enqueueRender(batchID: "w") != nil)
        return engine
    }

    static func environment(_ cli: CLIHarness, latencyMS: Int) throws -> [String: String] {
        [
            "AUTODIRECTOR_PROJECT": cli.project, "AUTODIRECTOR_DATABASE_URL": try #require(cli.databaseURL),
            "FIBO_MOCK_LATENCY_MS": String(latencyMS), "FIBO_PROVIDER": "mock",
        ]
    }

    /// Waits for `condition`, read every 20 ms, for at most 60 s.
    static func until(_ what: String, _ condition: @escaping @Sendable () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await Blocking.run(condition) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}
