import Testing
@testable import AutoDirectorCore

/// Conventions every command follows: `--version`, `--json` on read commands, typed options.
@Suite struct CLIConventionsTests {
    @Test func versionMetricsJSONAndTypedProvider() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let version = await cli.run(["--version"])
        #expect(version.code == 0 && version.out == "autodirector \(AutoDirectorVersion.string)\n")
        let csv = try cli.file("p.csv", "sku,product_name\nA-1,Mug\n")
        _ = await cli.run(["ingest", csv])
        let metrics = await cli.run(["metrics", "--json"])
        #expect(metrics.code == 0 && metrics.out.contains("\"renders_executed\""))
        #expect(await cli.run(["metrics", "--json", "--format", "prometheus"]).code == 2)
        let provider = await cli.run(["render", "--provider", "nope"])
        #expect(provider.code == 2 && provider.err.contains("'mock'") && provider.err.contains("'bria'"))
        // A subcommand's own --version is not the program's.
        let approve = await cli.run(["approve", "A-1", "--version", "7"])
        #expect(approve.code == 1 && !approve.out.contains(AutoDirectorVersion.string), "\(approve.err)")
    }

    /// `--project` before the subcommand is ArgumentParser's own root option, and wins over the
    /// environment as it does after the subcommand.
    @Test func theProjectOptionGoesBeforeOrAfterTheSubcommand() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("p.csv", "sku,product_name\nA-1,Mug\n")
        let other = cli.root.appendingPathComponent("other").path
        #expect(await cli.run(["--project", other, "ingest", csv]).code == 0)
        #expect(await cli.run(["batches"]).code == 1, "the environment's project was not created")
        for arguments in [["--project", other, "batches"], ["--project=\(other)", "batches"], ["batches", "--project", other]] {
            let batches = await cli.run(arguments)
            #expect(batches.code == 0 && batches.out.contains("p  "), "\(arguments): \(batches.err)")
        }
        let help = await cli.run(["--help"])
        #expect(help.out.contains("USAGE: autodirector [--project <project>] <subcommand>"))
    }
}
