import Foundation
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

    /// `--wait` is offered only where something is waited for in the foreground.
    @Test func waitOnlyOnTheCommandsThatWait() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        for command in ["render", "retry", "run"] {
            #expect(await cli.run([command, "--help"]).out.contains("--wait"), "\(command)")
        }
        #expect(!(await cli.run(["tui", "--help"]).out.contains("--wait")))
        let tui = await cli.run(["tui", "--wait"])
        #expect(tui.code == 2 && tui.err.contains("--wait"), "\(tui.err)")
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
        #expect(help.out.contains("USAGE: autodirector [--project <project>] [--database <url>] [--artifacts <dir|s3-url>] <subcommand>"))
    }
}

@Suite struct BulkReviewTests {
    /// Thousands of ids go in a file (a long argument list is slow for ArgumentParser to parse);
    /// the arguments and the file's lines make one action.
    @Test func idsFromAFileAreOneBulkAction() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        var csv = "sku,product_name\n"
        for index in 1...5 { csv += "P-\(index),Item \(index)\n" }
        #expect(await cli.run(["ingest", try cli.file("p.csv", csv)]).code == 0)
        #expect(await cli.run(["plan", "p"]).code == 0)
        let list = try cli.file("ids.txt", "P-2\n\n  P-3  \nP-4\n")
        let rejected = await cli.run(["reject", "P-1", "--ids-from", list, "--note", "off brand", "--json"])
        #expect(rejected.code == 0, "\(rejected.err)")
        let shots = try JSONParser.parse(await cli.run(["shots", "--json"]).out).arrayValue ?? []
        #expect(shots.map { $0["review"]?.stringValue ?? "" } == ["rejected", "rejected", "rejected", "rejected", "pending"])

        let missing = await cli.run(["approve", "--ids-from", cli.root.appendingPathComponent("nope.txt").path])
        #expect(missing.code == 1 && missing.err.contains("no such file"), "\(missing.err)")
        let empty = await cli.run(["approve", "--ids-from", try cli.file("empty.txt", "\n\n")])
        #expect(empty.code == 1 && empty.err.contains("names no shot"), "\(empty.err)")
        #expect(await cli.run(["approve"]).code == 2)
        #expect(await cli.run(["approve", "--ids-from", list, "--version", "1"]).code == 2)
    }

    @Test func anIdListMayHaveABOMAndCRLFAndBeALinkButMustBeUTF8() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(await cli.run(["ingest", try cli.file("p.csv", "sku,product_name\nP-1,Mug\nP-2,Cup\n")]).code == 0)
        #expect(await cli.run(["plan", "p"]).code == 0)
        let windows = try cli.file("ids.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("P-1\r\nP-2\r\n".utf8))
        let link = cli.root.appendingPathComponent("ids-link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: windows)
        let rejected = await cli.run(["reject", "--ids-from", link, "--note", "dark"])
        #expect(rejected.code == 0, "\(rejected.err)")
        let invalid = await cli.run(["reject", "--ids-from", try cli.file("bad.txt", bytes: [0x50, 0xFF, 0x0A]), "--note", "x"])
        #expect(invalid.code == 1 && invalid.err.contains("is not UTF-8 text"), "\(invalid.err)")
        let directory = await cli.run(["approve", "--ids-from", cli.root.path])
        #expect(directory.code == 1 && directory.err.contains("directory"), "\(directory.err)")
        // A wrong list is refused in a screenful, not one line per id.
        let wrong = try cli.file("wrong.txt", (1...30).map { "NOPE-\($0)" }.joined(separator: "\n"))
        let refused = await cli.run(["approve", "--ids-from", wrong])
        #expect(refused.code == 1 && refused.err.contains("… and 10 more."), "\(refused.err)")
        #expect(refused.err.split(separator: "\n").count < 25)
    }
}
