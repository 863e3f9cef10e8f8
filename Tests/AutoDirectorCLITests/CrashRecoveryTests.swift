import AutoDirectorCore
import Foundation
import Testing

/// The real binary, killed with SIGKILL in the middle of a render, then run again (SPEC §6, §7).
@Suite struct CrashRecoveryTests {
    /// The `autodirector` executable SwiftPM built beside this test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("autodirector")
    }

    /// `output`: a file that takes the process's stdout and stderr (else they are dropped).
    /// `namespace`: run inside that network namespace.
    static func launch(
        _ arguments: [String], environment: [String: String], output: URL? = nil, namespace: NetworkNamespace? = nil
    ) throws -> (Process, ProcessExit) {
        let process = Process()
        let exit = ProcessExit(process)
        if let namespace {
            (process.executableURL, process.arguments) = namespace.wrap([binary.path] + arguments)
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let output, FileManager.default.createFile(atPath: output.path, contents: nil) {
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return (process, exit)
    }

    @Test func killedMidRenderResumesWithoutRenderingFinishedItemsAgain() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the autodirector product first")
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        var csv = "sku,product_name,finish\n"
        for index in 1...40 { csv += "K\(index),Item \(index),\(index % 2 == 0 ? "glossy" : "matte")\n" }
        #expect(await cli.run(["ingest", try cli.file("k.csv", csv)]).code == 0)
        #expect(await cli.run(["plan", "k"]).code == 0)

        // 40 renders of 250 ms one at a time: ten seconds in which to see a commit and kill the
        // renderer, ample even when the whole suite keeps both cores busy. The first commit
        // comes after half a second, so the test itself stays short.
        let environment = ["AUTODIRECTOR_PROJECT": cli.project, "FIBO_MOCK_LATENCY_MS": "250", "FIBO_CONCURRENCY": "1"]
        let (renderer, rendererExit) = try Self.launch(["render", "--wait"], environment: environment)
        let engine = try Engine(projectDirectory: URL(fileURLWithPath: cli.project))
        // The first commit shows within a second; the database is read every 20 ms until then.
        let deadline = ContinuousClock.now + .seconds(30)
        var committed = 0
        while ContinuousClock.now < deadline, !rendererExit.hasExited {
            committed = try await Blocking.run { try engine.jobs().first?.counts[.done] ?? 0 }
            if committed >= 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!rendererExit.hasExited, "the render ended before it could be interrupted")
        kill(renderer.processIdentifier, SIGKILL)
        await rendererExit.wait()
        #expect(renderer.terminationReason == .uncaughtSignal)

        let job = try #require(try engine.jobs().first)
        let before = try engine.jobItems(job.id).filter { $0.state == .done }
        #expect(before.count >= 1 && before.count < 40)
        let finishedAt = try await Self.finishedTimes(cli.project)

        let (resumed, resumedExit) = try Self.launch(["render"], environment: ["AUTODIRECTOR_PROJECT": cli.project])
        await resumedExit.wait()
        #expect(resumed.terminationStatus == 0)

        let after = try engine.job(job.id)
        #expect(after.state == .done)
        #expect(after.counts[.done] == 40)
        let finishedAfter = try await Self.finishedTimes(cli.project)
        for item in before { #expect(finishedAfter[item.shotID] == finishedAt[item.shotID], "\(item.shotID) was rendered again") }
        #expect(try engine.health().integrity == "ok")
    }

    /// When each item was committed as finished, read straight from the database.
    static func finishedTimes(_ project: String) async throws -> [String: String] {
        let output = Pipe()
        let sqlite = Process()
        let exit = ProcessExit(sqlite)
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", """
            import sqlite3, sys, json
            db = sqlite3.connect(sys.argv[1])
            print(json.dumps(dict(db.execute("SELECT shot_id, finished_at FROM job_items WHERE finished_at IS NOT NULL").fetchall())))
            """, project + "/autodirector.sqlite"]
        sqlite.standardOutput = output
        try sqlite.run()
        // Read before waiting: a full pipe would keep the child from exiting.
        let data = await Blocking.run { output.fileHandleForReading.readDataToEndOfFile() }
        await exit.wait()
        return (try JSONParser.parse([UInt8](data)).objectValue ?? JSONObject()).members.reduce(into: [:]) { $0[$1.key] = $1.value.stringValue }
    }
}
