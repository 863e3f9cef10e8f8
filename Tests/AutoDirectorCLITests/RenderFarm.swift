import AutoDirectorCore
import FakeBriaServer
import Foundation
import Synchronization
import Testing
import ThrowawayPostgres

/// A render farm for the failure tests (SPEC §16): `worker` processes on one shared project,
/// rendering a planned job through the fake Bria API (200 ms per submit), which counts what it
/// would bill; and a reviewer approving and patching meanwhile from another process.
struct RenderFarm {
    static let token = "farm-secret-token-7c2e"

    let cli: CLIHarness
    let server: FakeBriaServer
    let engine: Engine
    let job: Int64
    let items: Int
    let environment: [String: String]
    private let launched = Launched()

    /// The boxes started, so that a test that fails midway leaves none running.
    private final class Launched: Sendable {
        let processes = Mutex<[Process]>([])
    }

    /// `database`: the farm's own (a test that restarts its server); else a fresh database of
    /// the test process's shared server.
    /// `briaHost`: where the fake Bria API listens.
    static func start(items: Int, database: String? = nil, briaHost: String = "127.0.0.1", lease: Double = 2) async throws -> RenderFarm {
        let cli = try database.map { try CLIHarness(databaseURL: $0) } ?? CLIHarness(.postgres)
        let server = try await FakeBriaServer.start(token: token, options: .init(latency: .milliseconds(200)), host: briaHost)
        let engine = try await WorkerProcessTests.plannedJob(cli, items: items)
        let job = try #require(try engine.jobs().first).id
        var environment = try WorkerProcessTests.environment(cli, latencyMS: 0)
        environment.merge([
            "FIBO_PROVIDER": "bria", "BRIA_API_TOKEN": token, "FIBO_API_BASE": server.baseURL, "FIBO_POLL_SECONDS": "0",
            "FIBO_RATE_LIMIT_RPM": "100000", "AUTODIRECTOR_LEASE_SECONDS": String(lease), "AUTODIRECTOR_REAPER_SECONDS": "0.5",
        ]) { $1 }
        return RenderFarm(cli: cli, server: server, engine: engine, job: job, items: items, environment: environment)
    }

    /// A box: `worker --name NAME --concurrency 4`, in `namespace` when given.
    func box(_ name: String, concurrency: Int = 4, namespace: NetworkNamespace? = nil) throws -> (Process, ProcessExit) {
        let box = try CrashRecoveryTests.launch(
            ["worker", "--name", name, "--concurrency", String(concurrency)], environment: environment,
            output: cli.root.appendingPathComponent("\(name).log"), namespace: namespace)
        launched.processes.withLock { $0.append(box.0) }
        return box
    }

    /// Kills every box still running (a test's `defer`: one that failed midway).
    func killBoxes() {
        for process in launched.processes.withLock({ $0 }) where process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// What the boxes printed, for a failure's message.
    var boxOutput: String {
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: cli.root.path)) ?? []).filter { $0.hasSuffix(".log") }.sorted()
        return logs.map { name in
            "== \(name)\n" + String(((try? String(contentsOf: cli.root.appendingPathComponent(name), encoding: .utf8)) ?? "").suffix(1500))
        }.joined(separator: "\n")
    }

    /// Items of the first job that have ended (rendered, parked or failed).
    func ended() throws -> Int {
        let counts = try engine.job(job).counts
        return (counts[.done] ?? 0) + (counts[.failed] ?? 0)
    }

    /// `WorkerProcessTests.until`, with what the boxes printed when it times out.
    func until(_ what: String, _ condition: @escaping @Sendable () throws -> Bool) async throws {
        do {
            try await WorkerProcessTests.until(what, condition)
        } catch {
            Issue.record("the boxes said:\n\(boxOutput)")
            throw error
        }
    }

    /// Waits until every job (the first and those the reviewer's patches queued) has ended.
    func untilEveryJobHasEnded() async throws {
        do {
            try await WorkerProcessTests.until("every job has ended") { try engine.jobs(limit: 10_000).allSatisfy { $0.state.isFinished } }
        } catch {
            let jobs = (try? engine.jobs(limit: 10_000).filter { !$0.state.isFinished }.map { "\($0.id) \($0.state) \($0.counts)" }) ?? []
            Issue.record("unfinished jobs: \(jobs)\n\(boxOutput)")
            throw error
        }
    }

    /// Stops every box with SIGTERM; each must exit 0.
    func stop(_ boxes: [(Process, ProcessExit)]) async {
        for (process, exit) in boxes {
            kill(process.processIdentifier, SIGTERM)
            await exit.wait()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(process.arguments ?? [])")
        }
    }

    /// The end every failure test asks for: every item of every job rendered or parked (a
    /// parked one says why), and Bria paid at most once per structured prompt.
    func expectNothingLostNothingPaidTwice(parkedAtMost: Int) throws {
        var parked = 0
        for job in try engine.jobs(limit: 10_000) {
            let counts = job.counts
            #expect((counts[.done] ?? 0) + (counts[.failed] ?? 0) + (counts[.cached] ?? 0) == job.total, "job \(job.id): \(counts)")
            for item in try engine.jobItems(job.id, states: [.failed]) {
                parked += 1
                #expect(item.error?.contains("not sent again automatically") == true, "\(item.shotID): \(item.error ?? "-")")
            }
        }
        #expect(parked <= parkedAtMost, "parked items: \(parked)")
        #expect(server.duplicatePaidSubmits == 0, "Bria was paid twice for \(server.paidSubmits.filter { $0.value > 1 })")
    }

    /// A box that was away past its lease noticed: its late writes changed nothing (counted as
    /// lost leases), or the database had ended its stalled session and it started afresh,
    /// giving back what it held.
    func expectNoticedItsLostLeases(_ name: String) throws {
        let lost = try engine.workers().first { $0.name == name }?.lostLeases ?? 0
        let log = (try? String(contentsOf: cli.root.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
        #expect(lost > 0 || log.contains("is unreachable"), "\(name) did not notice:\n\(boxOutput)")
    }

    func shutDown() async {
        await server.shutdown()
        cli.cleanUp()
    }
}

/// A reviewer at work while boxes render and die: approves rendered shots and patches others
/// (each patch queues a render of the new version), from this process, as another machine
/// would. Every action it was told succeeded must be in the project at the end.
final class FarmReviewer: Sendable {
    private struct Acknowledged {
        var approvals: [ReviewTarget] = []
        var patches: [(shotID: String, version: Int)] = []
    }

    private final class Record: Sendable {
        let mutex = Mutex(Acknowledged())
        func withLock<T>(_ body: (inout Acknowledged) -> T) -> T { mutex.withLock { body(&$0) } }
    }

    private let acknowledged = Record()
    private let task: Task<Void, Never>

    init(_ farm: RenderFarm) {
        let acknowledged = self.acknowledged
        let (engine, job) = (farm.engine, farm.job)
        task = Task.detached {
            var round = 0
            while !Task.isCancelled {
                round += 1
                let round = round
                _ = try? await Blocking.run {
                    let rendered = try engine.jobItems(job, states: [.done]).map(\.shotID)
                    if let shot = rendered.randomElement(),
                        let outcome = try? engine.approve([shot], reviewer: "farm-reviewer")
                    {
                        acknowledged.withLock { $0.approvals += outcome.changed }
                    }
                    // A dozen patches: each queues a job, and the farm must be able to finish.
                    if round % 3 == 0, acknowledged.withLock({ $0.patches.count }) < 12, let shot = rendered.randomElement(),
                        let result = try? engine.rerender(shot, patches: [.merge(["camera": ["fov": .number(Double(30 + round % 40))]])])
                    {
                        acknowledged.withLock { $0.patches.append((shot, result.version.number)) }
                    }
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Stops reviewing; every acknowledged approval is in its shot's review log and every
    /// acknowledged patch is a version of its shot.
    func finishAndCheck(_ engine: Engine) async throws {
        task.cancel()
        await task.value
        let done = acknowledged.withLock { $0 }
        #expect(done.approvals.count >= 5 && done.patches.count >= 2, "the reviewer hardly worked: \(done.approvals.count) approvals")
        for target in done.approvals {
            let log = try engine.reviewLog(of: target.shotID)
            #expect(log.contains { $0.version == target.version && $0.status == ReviewStatus.approved }, "lost approval of \(target.shotID) v\(target.version)")
        }
        for patch in done.patches {
            #expect(try engine.versions(of: patch.shotID).contains { $0.number == patch.version }, "lost patch \(patch.shotID) v\(patch.version)")
        }
    }
}
