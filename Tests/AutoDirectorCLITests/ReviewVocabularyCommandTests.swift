import AutoDirectorCore
import Foundation
import Testing

/// `retake`, `hold` and `release` from the command line (SPEC §17).
@Suite struct ReviewVocabularyCommandTests {
    @Test func retakeHoldAndRelease() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", WorkflowCommandTests.sample)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)

        #expect(await cli.run(["retake", "PROD-001", "--reviewer", "ana"]).code != 0, "a retake needs --note")
        let retake = await cli.run(["retake", "PROD-001", "--note", "warmer light", "--reviewer", "ana"])
        #expect(retake.code == 0 && retake.out.contains("Changes requested on PROD-001 v1"), "\(retake.out)\(retake.err)")
        let shown = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        #expect(shown["retakes"] == 1 && shown["review"] == "changes_requested")
        #expect(await cli.run(["show", "PROD-001"]).out.contains("review:       changes requested by ana — warmer light"))
        let listed = await cli.run(["shots", "--review", "changes_requested"])
        #expect(listed.out.contains("PROD-001") && listed.out.contains("changes requested") && !listed.out.contains("PROD-002"))

        let ids = try cli.file("ids.txt", "PROD-002\nPROD-003\n")
        #expect(await cli.run(["hold", "--ids-from", ids, "--reviewer", "bo"]).out.contains("On hold: PROD-003 v1"))
        let refused = await cli.run(["release", "PROD-001", "--reviewer", "bo"])
        #expect(refused.code == 1 && refused.err.contains("PROD-001 v1 is not on hold (it is changes requested)"), "\(refused.err)")
        #expect(refused.err.contains("autodirector show PROD-001"))
        #expect(await cli.run(["release", "PROD-002", "--reviewer", "bo"]).out.contains("Released PROD-002 v1"))
        #expect(await cli.run(["shots", "--review", "on_hold"]).out.contains("PROD-003"))
        // Undo takes back the release.
        #expect(await cli.run(["undo", "--reviewer", "bo"]).code == 0)
        #expect(try JSONParser.parse(await cli.run(["show", "PROD-002", "--json"]).out)["review"] == "on_hold")
    }
}
