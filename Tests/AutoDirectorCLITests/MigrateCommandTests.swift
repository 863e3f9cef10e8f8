import AutoDirectorCore
import Foundation
import Testing
import ThrowawayPostgres

/// `autodirector migrate --to URL`: the project's SQLite database copied into an empty
/// PostgreSQL database, its counts and hashes printed; the password never printed.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct MigrateCommandTests {
    static func freshURL() throws -> String {
        try ThrowawayPostgres.shared().urlText(database: try ThrowawayPostgres.freshDatabase().database)
    }

    @Test func migratePrintsCountsAndRefusesATargetThatIsNotEmpty() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["run", csv, "--preset", "brand_neutral_cool", "--wait", "--no-tui"]).code == 0)
        #expect(await cli.run(["approve", "PROD-001", "--note", "hero"]).code == 0)
        let url = try Self.freshURL()
        let password = try #require(try DatabaseURL(url).password)

        let migrated = await cli.run(["migrate", "--to", url])
        #expect(migrated.code == 0, "\(migrated.err)")
        #expect(migrated.out.contains("3 version hashes match."), "\(migrated.out)")
        let rows = migrated.out.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains("shots 3"), "\(migrated.out)")
        #expect(rows.contains("review_log 1"))
        #expect(rows.contains("batch_plan_files 3"))
        #expect(migrated.out.contains("postgres://autodirector:***@127.0.0.1:"))
        #expect(migrated.err.contains("migrate: shots: 3 rows"), "\(migrated.err)")
        #expect(migrated.err.contains("migrate: checking row counts and version hashes"))
        #expect(!(migrated.out + migrated.err).contains(password))

        // The shared project lists what the SQLite project lists.
        let before = await cli.run(["shots", "--json"])
        let after = await cli.run(["shots", "--json", "--database", url])
        #expect(after.code == 0 && after.out == before.out)

        let again = await cli.run(["migrate", "--to", url])
        #expect(again.code == 1)
        #expect(again.err.contains("is not empty"), "\(again.err)")
        #expect(again.out.isEmpty && !again.err.contains(password))
        #expect(await cli.run(["shots", "--json", "--database", url]).out == before.out)
    }

    @Test func migrateJSON() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products"]).code == 0)
        // AUTODIRECTOR_DATABASE_URL names the target already (a typical setup): the source is
        // still the SQLite file.
        let url = try Self.freshURL()
        let result = await cli.run(["migrate", "--to", url, "--json"], environment: ["AUTODIRECTOR_DATABASE_URL": url])
        #expect(result.code == 0, "\(result.err)")
        let json = try JSONParser.parse(result.out)
        #expect(json["tables"]?["shots"] == 3)
        #expect(json["tables"]?["versions"] == 3)
        #expect(json["tables"]?["jobs"] == 0)
        #expect(json["version_hashes_match"] == 3)
        #expect(json["schema"] == "pg10-render-ledger")
        #expect(json["target"]?.stringValue?.contains(":***@") == true)
    }

    @Test func badTargetsFailClearlyWithoutThePassword() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)

        let malformed = await cli.run(["migrate", "--to", "mysql://ana:s3cret-pw@host/db"])
        #expect(malformed.code == 2)
        #expect(malformed.err.contains("postgres://"), "\(malformed.err)")
        #expect(!(malformed.out + malformed.err).contains("s3cret-pw"))

        let unreachable = await cli.run(["migrate", "--to", "postgres://ana:s3cret-pw@127.0.0.1:1/studio?sslmode=disable"])
        #expect(unreachable.code == 1)
        #expect(unreachable.err.contains("postgres://ana:***@127.0.0.1:1/studio"), "\(unreachable.err)")
        #expect(!(unreachable.out + unreachable.err).contains("s3cret-pw"))

        #expect(await cli.run(["migrate"]).code == 2)
        let both = await cli.run(["migrate", "--to", try Self.freshURL(), "--database", try Self.freshURL()])
        #expect(both.code == 2 && both.err.contains("--to, not --database"), "\(both.err)")

        let noProject = await cli.run(["migrate", "--to", try Self.freshURL(), "--project", cli.root.appendingPathComponent("none").path])
        #expect(noProject.code == 1 && noProject.err.contains("No project"), "\(noProject.err)")
    }
}
