import AutoDirectorCore
import Foundation
import Testing

/// Issue 19 through the real binary: a read-only project (a read-only bind mount), a disk that
/// fills during a render (a tiny tmpfs under the artifacts), a hostile patch while another
/// process approves, parallel exports. Mounts are made in a private user and mount namespace
/// (`unshare -rm`), so they need no privileges and vanish with the shell that made them.
@Suite struct HostileInputProcessTests {
    /// Runs `script` under `sh` with the binary as `$B`; returns its status and output.
    static func shell(_ script: String, environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        let process = Process()
        let exit = ProcessExit(process)
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(["B": CrashRecoveryTests.binary.path, "USER": "tester"]) { $1 }
            .merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Read while it runs, so a full pipe cannot stall it.
        let reading = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let finished = await exit.wait(seconds: 60, killing: process)
        let text = String(decoding: await reading.value, as: UTF8.self)
        #expect(finished, "the script did not finish within 60 s: \(text)")
        return (process.terminationStatus, text)
    }

    private func renderedProject(_ cli: CLIHarness) async throws {
        #expect(await cli.run(["ingest", try cli.file("p.csv", ServiceCSV.text)]).code == 0)
        #expect(await cli.run(["plan", "p"]).code == 0)
        #expect(await cli.run(["render"]).code == 0)
    }

    @Test func aReadOnlyProjectIsReadAndRefusesWritesWithAReason() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        try await renderedProject(cli)
        let project = cli.project
        let result = try await Self.shell("""
            unshare -rm sh -c 'mount --bind "$P" "$P" && mount -o remount,bind,ro "$P" || exit 99
            "$B" --project "$P" shots >/dev/null; echo "shots=$?"
            "$B" --project "$P" health; echo "health=$?"
            "$B" --project "$P" approve PROD-001; echo "approve=$?"'
            """, environment: ["P": project])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("shots=0") && result.output.contains("health=0"), "\(result.output)")
        #expect(result.output.contains("(read-only here: reading works, writes are refused)"), "health says so: \(result.output)")
        #expect(result.output.contains("approve=1"), "\(result.output)")
        #expect(result.output.contains("is read-only (its directory or database cannot be written here)"), "\(result.output)")
        #expect(!result.output.contains("unable to open database file"), "\(result.output)")
    }

    @Test func aDiskFullDuringARenderLeavesNoTemporaryFile() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(await cli.run(["ingest", try cli.file("p.csv", ServiceCSV.text)]).code == 0)
        #expect(await cli.run(["plan", "p"]).code == 0)
        let artifacts = URL(fileURLWithPath: cli.project).appendingPathComponent("artifacts").path
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        // 4 KB (one page) holds no mock image: every write fails part-way with ENOSPC.
        let result = try await Self.shell("""
            unshare -rm sh -c 'mount -t tmpfs -o size=4k tmpfs "$A" || exit 99
            "$B" --project "$P" render; echo "render=$?"
            echo "left: $(find "$A" -type f | wc -l)"'
            """, environment: ["P": cli.project, "A": artifacts])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("render=1"), "the items failed: \(result.output)")
        #expect(result.output.contains("left: 0"), "nothing, temporary or not, is left in the artifacts: \(result.output)")
    }

    @Test func aDoublingPatchIsRefusedWhileAnotherProcessApproves() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        try await renderedProject(cli)
        var operations = [#"{"op":"add","path":"/l0","value":["a","b"]}"#]
        for level in 1...60 {
            operations.append(#"{"op":"add","path":"/l\#(level)","value":[]}"#)
            for _ in 0..<2 { operations.append(#"{"op":"copy","from":"/l\#(level - 1)","path":"/l\#(level)/-"}"#) }
        }
        let patch = try cli.file("bomb.json", "[" + operations.joined(separator: ",") + "]")
        let result = try await Self.shell("""
            "$B" --project "$P" rerender PROD-001 --file "$F" 2>&1 & patcher=$!
            "$B" --project "$P" approve PROD-002 --note "fine" 2>&1; echo "approve=$?"
            wait $patcher; echo "rerender=$?"
            """, environment: ["P": cli.project, "F": patch])
        #expect(result.output.contains("approve=0"), "\(result.output)")
        #expect(result.output.contains("rerender=1"), "\(result.output)")
        #expect(result.output.contains("would hold more than 100000 values"), "\(result.output)")
        #expect(!result.output.contains("database is locked"), "\(result.output)")
        let engine = try Engine(projectDirectory: URL(fileURLWithPath: cli.project))
        #expect(try engine.version(of: "PROD-002").review == .approved)
        #expect(try engine.versions(of: "PROD-001").count == 1)
    }

    @Test func parallelExportsFromTheCommandLineAllSucceed() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        try await renderedProject(cli)
        let out = cli.root.appendingPathComponent("out").path
        let codes = await withTaskGroup(of: Int32.self) { group in
            for _ in 0..<8 { group.addTask { await cli.run(["export", "p", "--out", out, "--zip"]).code } }
            return await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(codes == Array(repeating: 0, count: 8))
        #expect(await cli.run(["verify", out + "/p.zip"]).code == 0)
    }
}

/// Three products, as the sample has them.
enum ServiceCSV {
    static let text = """
        sku,product_name,category,material,finish
        PROD-001,Wireless Headphones,electronics,plastic,glossy
        PROD-002,Macro Camera Lens,photography,glass,matte
        PROD-003,Ceramic Coffee Mug,homeware,ceramic,glossy

        """
}
