import AutoDirectorCore
import FakeBriaServer
import Foundation
import Testing

/// The command line with `--provider bria` against the fake Bria API: faults end in clear
/// states, and the token shows up in no output, no database row and no export.
@Suite struct BriaCommandTests {
    static let token = "cli-secret-token-41d9"

    @Test func runWithBriaReportsFaultsAndNeverShowsTheToken() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let server = try await FakeBriaServer.start(token: Self.token)
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        let environment = [
            "BRIA_API_TOKEN": Self.token, "FIBO_API_BASE": server.baseURL, "FIBO_POLL_SECONDS": "0",
            "FIBO_RATE_LIMIT_RPM": "100000", "FIBO_CONCURRENCY": "1",
        ]
        // Shots render in order, one in flight: PROD-001 gets a 429, then a refusal; PROD-002 a 502, then its image.
        server.inject([.rateLimited(retryAfter: 0), .moderation, .serverError(502)])
        var outputs: [String] = []

        let run = await cli.run(["run", csv, "--provider", "bria", "--preset", "brand_neutral_cool", "--no-tui"], environment: environment)
        outputs += [run.out, run.err]
        #expect(run.code == 1, "\(run.out)\(run.err)")
        #expect(run.out.contains("2 rendered") && run.out.contains("1 blocked") && run.out.contains("2 retries"), "\(run.out)")

        let jobs = await cli.run(["jobs", "1"], environment: environment)
        outputs += [jobs.out, jobs.err]
        #expect(jobs.out.contains("blocked") && jobs.out.contains("content moderation"), "\(jobs.out)\(jobs.err)")
        let json = try JSONParser.parse(await cli.run(["jobs", "1", "--json"]).out)
        #expect(json["retries"] == 2)

        // The provider recorded with the render, not FIBO_PROVIDER (unset here: it would say mock).
        let explained = try JSONParser.parse(await cli.run(["explain", "PROD-002", "--json"]).out)
        #expect(explained["provider"] == "bria")
        let health = try JSONParser.parse(await cli.run(["health", "--json"]).out)
        #expect(health["provider"] == "bria")

        for arguments in [["metrics"], ["metrics", "--format", "prometheus"], ["health"], ["export", "products", "--zip"], ["shots"]] {
            let outcome = await cli.run(arguments, environment: environment)
            outputs += [outcome.out, outcome.err]
        }
        await server.shutdown()
        for output in outputs { #expect(!output.contains(Self.token)) }
        let enumerator = FileManager.default.enumerator(at: cli.root, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard let data = try? Data(contentsOf: url) else { continue }
            #expect(data.range(of: Data(Self.token.utf8)) == nil, "token found in \(url.lastPathComponent)")
        }
    }

    @Test func briaWithoutATokenIsAClearError() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        let outcome = await cli.run(["run", csv, "--provider", "bria", "--no-tui"])
        #expect(outcome.code == 1)
        #expect(outcome.err.contains("BRIA_API_TOKEN"), "\(outcome.err)")
    }
}
