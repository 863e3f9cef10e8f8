import AutoDirectorCore
import Testing

@Suite struct CanonCommandTests {
    @Test func canonPrintsRFC8785BytesAndHashHashesThem() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let input = #"""
            {"numbers": [333333333.33333329, 1E30, 0.000001, 1e-7, -0, 4.50, 2e-3],
             "😂": 1, "é": 2, "1": 3, "\r": 4, "a": {"z": true, "b": null}, "s": "\u00e9\n\u0001"}
            """#
        let path = try cli.file("in.json", input)
        let canon = await cli.run(["canon", path])
        #expect(canon.code == 0)
        let expected = #"{"\r":4,"1":3,"a":{"b":null,"z":true},"numbers":[333333333.3333333,1e+30,0.000001,1e-7,0,4.5,0.002],"s":"é\n\u0001","é":2,"😂":1}"#
        #expect(canon.out == expected)
        let hash = await cli.run(["hash", path])
        #expect(hash.code == 0)
        #expect(hash.out == SHA256Hex.digest(Array(expected.utf8)) + "\n")
    }

    @Test func invalidJSONIsPositionedAndExitsOne() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let path = try cli.file("bad.json", "{\n  \"a\": 1,\n  \"a\": 2\n}")
        let outcome = await cli.run(["canon", path])
        #expect(outcome.code == 1)
        #expect(outcome.err.hasPrefix("\(path):3:"))
        #expect(outcome.out.isEmpty)
        #expect(await cli.run(["canon", "/nonexistent.json"]).code == 1)
    }

    @Test func usageErrorsExitTwo() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        #expect(await cli.run(["canon"]).code == 2)
        #expect(await cli.run(["frobnicate"]).code == 2)
        #expect(await cli.run(["approve", "A", "B", "--version", "2"]).code == 2)
        let help = await cli.run(["--help"])
        #expect(help.code == 0)
        #expect(help.out.contains("ingest"))
    }
}
