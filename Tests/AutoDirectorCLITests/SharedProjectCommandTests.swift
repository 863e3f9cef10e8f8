import AutoDirectorCore
import Foundation
import Testing
import ThrowawayPostgres

/// The command line on a shared project (SPEC §16): `AUTODIRECTOR_DATABASE_URL` or `--database`
/// switches every command to PostgreSQL, with the same output and bytes as on SQLite.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct SharedProjectCommandTests {
    /// README's flow (run the sample, shots, approve, rerender, compare, export, verify) prints
    /// the same and exports the same bytes on both stores.
    @Test func theSampleFlowIsTheSameOnBothStores() async throws {
        var transcripts: [StoreKind: [String]] = [:]
        var manifests: [StoreKind: Data] = [:]
        for kind in [StoreKind.sqlite, .postgres] {
            let cli = try CLIHarness(kind)
            defer { cli.cleanUp() }
            let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
            let out = cli.root.appendingPathComponent("exports").path
            var transcript: [String] = []
            for command in [
                ["run", csv, "--preset", "brand_neutral_cool", "--wait", "--no-tui"],
                ["shots", "--json"],
                ["approve", "PROD-001", "--note", "hero"],
                ["reject", "PROD-003", "--note", "too dark"],
                ["rerender", "PROD-002", "camera.fov=60", "--json"],
                ["render", "--wait"],
                ["compare", "PROD-002", "1", "2", "--json"],
                ["versions", "PROD-002", "--json"],
                ["explain", "PROD-002"],
                ["shots", "--review", "approved"],
                ["jobs"],
                ["export", "products", "--zip", "--all-versions", "--out", out],
                ["verify", out + "/products.zip"],
            ] {
                let result = await cli.run(command)
                #expect(result.code == 0, "\(kind) \(command.joined(separator: " ")): \(result.err)")
                transcript.append(result.out.replacingOccurrences(of: cli.root.path, with: "ROOT"))
            }
            transcripts[kind] = transcript
            manifests[kind] = try Data(contentsOf: URL(fileURLWithPath: out + "/products/manifest.json"))
        }
        let sqlite = try #require(transcripts[.sqlite])
        let postgres = try #require(transcripts[.postgres])
        for (index, (a, b)) in zip(sqlite, postgres).enumerated() { #expect(a == b, "command \(index)") }
        // The bundles differ only in the render times their reports quote (StoreConformanceTests).
        #expect(manifests[.sqlite] == manifests[.postgres])
        #expect(sqlite[1].contains("80d9c1a55095620de7c074fea7228ce280cc331171eac75a9a7c32a4fbfbaa4b"))
    }

    /// Two machines (two project directories) on one database: what one decides, the other lists
    /// at once.
    @Test func twoMachinesWorkOnOneBatch() async throws {
        let box = try CLIHarness(.postgres)
        defer { box.cleanUp() }
        let reviewer = try box.secondMachine()
        let csv = try box.file("products.csv", WorkflowCommandTests.sample)
        #expect(await box.run(["run", csv, "--preset", "brand_neutral_cool", "--wait", "--no-tui"]).code == 0)

        let listed = try JSONParser.parse(await reviewer.run(["shots", "--json"]).out)
        #expect(listed.arrayValue?.compactMap { $0["render_status"]?.stringValue } == ["rendered", "rendered", "rendered"])
        #expect(await reviewer.run(["approve", "PROD-001", "--reviewer", "ana"]).code == 0)
        #expect(await box.run(["shots", "--review", "approved"]).out.contains("PROD-001"))
        #expect(await box.run(["reject", "PROD-001", "--note", "soft focus", "--reviewer", "ben"]).code == 0)
        let log = await reviewer.run(["show", "PROD-001", "--json"])
        #expect(try JSONParser.parse(log.out)["review"] == "rejected")
        #expect(FileManager.default.fileExists(atPath: reviewer.root.appendingPathComponent("project").path))
    }

    /// The password is in the URL the user gives and nowhere the program writes.
    @Test func theDatabasePasswordIsNeverPrinted() async throws {
        let cli = try CLIHarness(.postgres)
        defer { cli.cleanUp() }
        let url = try #require(cli.databaseURL)
        let password = try #require(try DatabaseURL(url).password)
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        var printed = ""
        for command in [["ingest", csv], ["plan", "products"], ["health"], ["health", "--json"], ["show", "NOPE"], ["metrics"]] {
            let result = await cli.run(command)
            printed += result.out + result.err
        }
        #expect(printed.contains("postgres://autodirector:***@127.0.0.1:"))
        #expect(!printed.contains(password))

        let unreachable = await cli.run(["shots", "--database", "postgres://ana:s3cret-pw@127.0.0.1:1/studio?sslmode=disable"])
        #expect(unreachable.code == 1)
        #expect(unreachable.err.contains("postgres://ana:***@127.0.0.1:1/studio"), "\(unreachable.err)")
        #expect(unreachable.err.contains("unreachable"))
        #expect(!(unreachable.out + unreachable.err).contains("s3cret-pw"))

        let malformed = await cli.run(["shots", "--database", "mysql://ana:s3cret-pw@host/db"])
        #expect(malformed.code != 0)
        #expect(malformed.err.contains("postgres://"))
        #expect(!(malformed.out + malformed.err).contains("s3cret-pw"))
    }
}
