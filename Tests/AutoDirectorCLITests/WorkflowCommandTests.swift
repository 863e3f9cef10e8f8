import AutoDirectorCore
import Foundation
import Testing
import ThrowawayPostgres

@Suite struct WorkflowCommandTests {
    static let sample = """
        sku,product_name,category,material,finish
        PROD-001,Wireless Headphones,electronics,plastic,glossy
        PROD-002,Macro Camera Lens,photography,glass,matte
        PROD-003,Ceramic Coffee Mug,homeware,ceramic,glossy

        """

    @Test(arguments: StoreKind.all) func ingestPlanReviewPatchCompare(_ kind: StoreKind) async throws {
        let cli = try CLIHarness(kind)
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", Self.sample)

        let ingest = await cli.run(["ingest", csv, "--json"])
        #expect(ingest.code == 0)
        let ingested = try JSONParser.parse(ingest.out)
        #expect(ingested["batch_id"] == "products" && ingested["rows"] == 3)

        #expect(await cli.run(["plan", "products", "--preset", "brand_neutral_cool"]).code == 0)
        let shots = try JSONParser.parse(await cli.run(["shots", "--json"]).out)
        #expect(shots.arrayValue?.count == 3)
        #expect(shots.arrayValue?.first?["render_status"] == "not_rendered")

        let shown = try JSONParser.parse(await cli.run(["show", "PROD-001", "--json"]).out)
        #expect(shown["spec"]?["lighting"]?["key_light"]?["intensity"] == 0.7)
        let v1Hash = try #require(shown["hash"]?.stringValue)

        let approve = await cli.run(["approve", "PROD-001"])
        #expect(approve.code == 1)
        #expect(approve.err.hasPrefix("Cannot approve PROD-001 v1: it has not been rendered"))

        let merge = await cli.run(["rerender", "PROD-001", #"{"camera":{"fov":60}}"#, "--json"])
        #expect(merge.code == 0, "\(merge.err)")
        let v2 = try JSONParser.parse(merge.out)
        #expect(v2["version"] == 2 && v2["parent_hash"] == .string(v1Hash))
        let patch = await cli.run(["rerender", "PROD-001", #"[{"op":"replace","path":"/lens/aperture","value":2}]"#])
        #expect(patch.code == 0)
        #expect(patch.out.contains("Created PROD-001 v3"))
        let dotted = await cli.run(["rerender", "PROD-001", "lighting.key_light.intensity=0.6", "background.hex=#ffffff"])
        #expect(dotted.code == 0)
        let noop = await cli.run(["rerender", "PROD-001", "camera.fov=60"])
        #expect(noop.code == 1)
        #expect(noop.err.contains("changes nothing"))
        let invalid = await cli.run(["rerender", "PROD-001", "camera.fov=0"])
        #expect(invalid.code == 1)
        #expect(invalid.err.contains("camera.fov"))

        let compare = try JSONParser.parse(await cli.run(["compare", "PROD-001", "3", "4", "--json"]).out)
        #expect(compare.arrayValue?.compactMap { $0["path"]?.stringValue } == ["background.hex", "lighting.key_light.intensity"])
        #expect(compare.arrayValue?.first?["pointer"] == "/background/hex")

        let versions = try JSONParser.parse(await cli.run(["versions", "PROD-001", "--json"]).out)
        #expect(versions.arrayValue?.compactMap { $0["version"]?.numberValue } == [1, 2, 3, 4])

        let reject = await cli.run(["reject", "PROD-002", "--note", "too dark"])
        #expect(reject.code == 0)
        #expect(await cli.run(["reject", "PROD-002"]).code == 2)

        let explain = await cli.run(["explain", "PROD-001"])
        #expect(explain.code == 0)
        #expect(explain.out.contains("patch: camera.fov 45 → 60"))
        #expect(explain.out.contains("\"lens_focal_length\": \"50mm standard lens\""))

        let health = try JSONParser.parse(await cli.run(["health", "--json"]).out)
        #expect(health["counts"]?["versions"] == 6)
        #expect(health["integrity"] == "ok")
    }

    @Test func malformedIngestExitsOneWithPositionAndChangesNothing() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        _ = await cli.run(["ingest", try cli.file("ok.csv", Self.sample)])
        let bad = try cli.file("bad.csv", "sku,product_name\nX1,\"never closed\n")
        let outcome = await cli.run(["ingest", bad])
        #expect(outcome.code == 1)
        #expect(outcome.err.hasPrefix("\(bad):2:4: "))
        let batches = try JSONParser.parse(await cli.run(["batches", "--json"]).out)
        #expect(batches.arrayValue?.count == 1)
    }

    @Test func readCommandsOnAMissingProjectFailClearly() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let outcome = await cli.run(["shots"])
        #expect(outcome.code == 1)
        #expect(outcome.err.hasPrefix("No project at "))
    }

    @Test func controlCharactersInDataAreNeverPrintedRaw() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("evil.csv", "sku,product_name\nE1,\"\u{1B}]52;c;aGk=\u{07}\u{1B}[2J\"\n")
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "evil"]).code == 0)
        let table = await cli.run(["shots"])
        #expect(!table.out.contains("\u{1B}"))
        #expect(table.out.contains("\\e]52"))
    }

    @Test func argumentShapesAndFileErrors() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", Self.sample)
        #expect(await cli.run(["--project", cli.project, "ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "products"]).code == 0)
        #expect(await cli.run(["rerender", "PROD-001"]).code == 2)
        let unquoted = await cli.run(["rerender", "PROD-001", "subject=Red", "Mug"])
        #expect(unquoted.code == 1)
        #expect(unquoted.err.contains("quote values with spaces"))
        // Bad patch content is a failed operation (1) like every patch error, never usage (2),
        // and a patch file is named.
        let badJSON = await cli.run(["rerender", "PROD-001", #"{"camera":"#])
        #expect(badJSON.code == 1)
        #expect(badJSON.err.contains("The merge patch is not valid JSON"))
        #expect(badJSON.err.contains("Nothing was stored."))
        let badFile = try cli.file("bad.json", #"[{"op":"replace","path":"/camera/fov""#)
        let fromFile = await cli.run(["rerender", "PROD-001", "--file", badFile])
        #expect(fromFile.code == 1)
        #expect(fromFile.err.hasPrefix("In the patch file \"\(badFile)\", the JSON Patch is not valid JSON"))
        let tooDeep = await cli.run(["rerender", "PROD-001", "camera" + String(repeating: ".a", count: 126) + "=1"])
        #expect(tooDeep.code == 1)
        #expect(tooDeep.err.contains("Nothing was stored."))
        #expect(await cli.run(["versions", "PROD-001"]).out.split(separator: "\n").count == 2)
        let directory = await cli.run(["ingest", cli.root.path])
        #expect(directory.code == 1)
        #expect(directory.err.contains("it is a directory"))
        let missing = await cli.run(["rerender", "PROD-001", "--file", "/nonexistent/patch.json"])
        #expect(missing.code == 1)
        #expect(missing.err.hasPrefix("Cannot read /nonexistent/patch.json: no such file."))
    }

    @Test func tablesCutLongCellsAndEscapeInvisibleCharacters() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let long = String(repeating: "x", count: 5000)
        let csv = try cli.file("odd.csv", "sku,product_name\nA1,\(long)\nA2,\u{202E}evil\u{200B}\n")
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "odd"]).code == 0)
        let table = await cli.run(["shots"]).out
        #expect(table.split(separator: "\n").allSatisfy { $0.count < 200 })
        #expect(!table.contains("\u{202E}") && !table.contains("\u{200B}"))
        #expect(table.contains("\\u{202E}evil"))
    }

    /// Issue 19 (15): columns were padded by characters, so a subject with emoji or CJK (two
    /// columns each) pushed the rest of its row right. Every column must start at the same
    /// terminal column on every row.
    @Test func shotsTableLinesUpRowsWithEmojiAndCJK() async throws {
        let cli = try CLIHarness()
        defer { cli.cleanUp() }
        let csv = try cli.file("wide.csv", """
            sku,product_name
            W1,Plain Mug
            W2,🎬 Clapper 🎥🎥
            W3,陶瓷咖啡杯
            W4,Cafe\u{0301} cre\u{0300}me
            W5,👩‍👩‍👧 family ☕️

            """)
        #expect(await cli.run(["ingest", csv]).code == 0)
        #expect(await cli.run(["plan", "wide"]).code == 0)
        let lines = await cli.run(["shots"]).out.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        /// The terminal column each cell starts at (cells are apart by two spaces or more).
        func starts(_ line: String) -> [Int] {
            var starts: [Int] = []
            var column = 0
            var spaces = 0
            for character in line {
                if character == " " {
                    spaces += 1
                } else {
                    if starts.isEmpty || spaces >= 2 { starts.append(column) }
                    spaces = 0
                }
                column += DisplayWidth.columns(of: character)
            }
            return starts
        }
        let header = starts(lines[0])
        #expect(header.count == 6)
        for line in lines.dropFirst() {
            #expect(starts(line) == header, "\(line)")
        }
    }

    @Test(arguments: StoreKind.all) func runRendersEverythingAndASecondRunIsAllCached(_ kind: StoreKind) async throws {
        let cli = try CLIHarness(kind)
        defer { cli.cleanUp() }
        let csv = try cli.file("products.csv", Self.sample)
        let first = await cli.run(["run", csv, "--preset", "brand_neutral_cool", "--json"])
        #expect(first.code == 0, "\(first.err)")
        let job = try #require(try JSONParser.parse(first.out).arrayValue?.last)
        #expect(job["state"] == "done")
        #expect(job["items"]?["done"] == 3)

        let second = await cli.run(["run", csv, "--preset", "brand_neutral_cool"])
        #expect(second.code == 0)
        #expect(second.out.contains("Nothing to render."))
        #expect(try JSONParser.parse(await cli.run(["jobs", "--json"]).out).arrayValue?.count == 1)

        #expect(await cli.run(["approve", "PROD-001"]).code == 0)
        let detail = try JSONParser.parse(await cli.run(["jobs", "1", "--json"]).out)
        #expect(detail["unfinished_or_failed"]?.arrayValue?.isEmpty == true)
        #expect(await cli.run(["cancel", "1"]).code == 1)
        #expect(await cli.run(["retry", "1"]).code == 1)
        #expect(await cli.run(["jobs", "99"]).code == 1)

        let patched = await cli.run(["rerender", "PROD-002", "camera.fov=50"])
        #expect(patched.code == 0)
        let rendered = await cli.run(["render", "--wait"])
        #expect(rendered.code == 0)
        #expect(rendered.out.contains("Job 2 done: 1 rendered"))
        #expect(rendered.err.contains("job 2: 1/1 (100%)"))
        let exported = await cli.run(["export", "products", "--zip", "--out", cli.root.appendingPathComponent("ex").path, "--json"])
        #expect(exported.code == 0, "\(exported.err)")
        #expect(try JSONParser.parse(exported.out)["images"] == 3)
        #expect(FileManager.default.fileExists(atPath: cli.root.appendingPathComponent("ex/products.zip").path))
        let prometheus = await cli.run(["metrics", "--format", "prometheus"]).out
        #expect(prometheus.contains("# TYPE autodirector_renders_total counter\nautodirector_renders_total 4\n"))
        #expect(try JSONParser.parse(await cli.run(["metrics"]).out)["cache_hits"] == 0)
        #expect(await cli.run(["render", "--provider", "bogus"]).code == 2)
        #expect(await cli.run(["render", "--concurrency", "0"]).code == 2)
    }
}
