import Foundation
import Testing
@testable import AutoDirectorCore

/// Regression tests for the defects an adversarial run found (issue 9): each reproducer, and
/// the behaviour that replaced it.
@Suite struct HostileInputTests {
    static let storyboard = """
        {"shot_id":"SB-1","subject":"Mug","structured_prompt":{"short_description":"a mug","lighting":{"conditions":"soft"}},"output":{"width":1024,"height":1024},"seed":7}

        """

    private func plannedStoryboard(_ project: TestProject) throws -> Engine {
        let engine = try project.engine()
        let batch = try engine.ingest(try project.file("sb.jsonl", Self.storyboard)).batchID
        _ = try engine.plan(batchID: batch)
        return engine
    }

    private func deepPath(_ segments: Int, prefix: String = "structured_prompt.lighting") -> String {
        prefix + String(repeating: ".a", count: segments) + "=1"
    }

    // MARK: 1. A deep patch must not brick a shot

    @Test func aPatchNestingPastTheLimitIsRefusedAndStoresNothing() throws {
        let project = try TestProject()
        let engine = try plannedStoryboard(project)
        // 127 segments, the reproducer, and one past the limit: refused by the path parser.
        #expect(throws: PatchParseError.self) { try ShotPatch.parse(arguments: [deepPath(125)]) }
        #expect(throws: PatchParseError.self) { try ShotPatch.parse(arguments: [deepPath(63)]) }
        // A JSON Patch that adds a value nesting past the limit: refused by the validator, which
        // names the path that goes too deep.
        let deepValue = String(repeating: "[", count: 62) + "1" + String(repeating: "]", count: 62)
        let jsonPatch = try ShotPatch.parse(arguments: [#"[{"op":"add","path":"/structured_prompt/lighting/x","value":\#(deepValue)}]"#])
        let error = try #require(throws: InvalidSpecError.self) { try engine.rerender("SB-1", patches: jsonPatch) }
        #expect(error.violations.count == 1)
        #expect(error.violations[0].message.contains("deeper than \(JSONDepth.limit) levels"))
        #expect(error.violations[0].path.hasPrefix("structured_prompt.lighting.x[0][0]"))
        // Nothing was stored: one version, no job, and the shot reads, renders and exports.
        #expect(try engine.versions(of: "SB-1").count == 1)
        #expect(try engine.jobs().isEmpty)
        _ = try engine.explain("SB-1")
    }

    @Test func theDeepestAcceptedSpecIsReadBack() throws {
        let project = try TestProject()
        let engine = try plannedStoryboard(project)
        // Root (1) + structured_prompt (2) + lighting (3) + 61 more objects = depth 64, a path of
        // 64 segments: the most either limit allows.
        let result = try engine.rerender("SB-1", patches: try ShotPatch.parse(arguments: [deepPath(62)]))
        #expect(JSONDepth.pathBeyondLimit(in: .object(result.version.spec)) == nil)
        #expect(JSONDepth.pathBeyondLimit(in: .object(result.version.spec), limit: JSONDepth.limit - 1) != nil)
        // Read back through every reader that failed before.
        #expect(try engine.versions(of: "SB-1").count == 2)
        #expect(try engine.version(of: "SB-1", number: 2).hash == result.version.hash)
        _ = try engine.explain("SB-1")
        _ = try engine.shots()
    }

    // MARK: 2. Dotted paths are bounded and linear

    @Test func longDottedPathsAreRefusedUpFront() throws {
        for segments in [65, 5_000, 40_000] {
            let path = "camera" + String(repeating: ".a", count: segments)
            let error = try #require(throws: DottedPath.ParseError.self) { try DottedPath.parse(path) }
            #expect(error.description.count < 300, "the message quotes a cut path")
        }
        #expect(try DottedPath.parse("camera" + String(repeating: ".a", count: JSONDepth.limit - 1)).count == JSONDepth.limit)
        let long = String(repeating: "x", count: DottedPath.maxLength + 1)
        #expect(throws: DottedPath.ParseError.self) { try DottedPath.parse(long) }
    }

    // MARK: 3. Escaping is linear and cut for display

    @Test func escapingAMegabyteOfControlBytesIsOnePassAndCut() {
        let nulls = String(repeating: "\u{0}", count: 1_000_000)
        let shown = TextSanitizer.quoted(nulls, limit: 40)
        #expect(shown.hasPrefix("\"\\u{0}\\u{0}"))
        #expect(shown.hasSuffix("…\""))
        #expect(shown.utf8.count < 60)
        // Without a limit every byte is escaped, in one pass.
        #expect(TextSanitizer.visible(String(repeating: "\u{1}", count: 200_000)).utf8.count == 200_000 * 5)
        #expect(TextSanitizer.escapingInvisiblesInJSON(String(repeating: "\u{202E}", count: 100_000)).utf8.count == 600_000)
    }

    @Test func aHugeNulFileIsRefusedWithAShortMessage() throws {
        let project = try TestProject()
        let engine = try project.engine()
        let url = try project.file("nul.csv", bytes: [UInt8](repeating: 0, count: 1_000_000))
        let error = try #require(throws: IngestError.self) { try engine.ingest(url) }
        #expect(String(describing: error).utf8.count < 2_000)
        #expect(try engine.batches().isEmpty)
    }

    // MARK: 4. Strings are compared by code points (NFC and NFD stay distinct)

    static let nfc = "caf\u{E9}"
    static let nfd = "cafe\u{301}"

    @Test func nfcAndNFDAreDistinctThroughParseCanonPatchAndDiff() throws {
        #expect(Self.nfc == Self.nfd, "Swift itself treats them as equal, which is the trap")
        // Parse: two keys, no duplicate.
        let document = try JSONParser.parse(#"{"\u00e9":1,"e\u0301":2}"#)
        #expect(document.objectValue?.count == 2)
        #expect(document["\u{E9}"] == 1)
        #expect(document["e\u{301}"] == 2)
        // Canon: both, ordered by UTF-16 code units ("e" 0x65 before "é" 0xE9).
        #expect(try CanonicalJSON.string(document) == "{\"e\u{301}\":2,\"\u{E9}\":1}")
        // Values and hashes differ.
        #expect(JSONValue.string(Self.nfc) != JSONValue.string(Self.nfd))
        #expect(Set([JSONValue.string(Self.nfc), JSONValue.string(Self.nfd)]).count == 2)
        #expect(Set<JSONValue>([["k": .string(Self.nfc)], ["k": .string(Self.nfd)]]).count == 2)
        // Merge patch: the other spelling is another key.
        let merged = MergePatch.apply([Self.nfd: 2], to: [Self.nfc: 1])
        #expect(merged.objectValue?.count == 2)
        // JSON Patch: test fails for the other form; a pointer does not resolve to the other key.
        let attributes: JSONValue = ["attributes": [Self.nfc: "x"], "subject": .string(Self.nfc)]
        #expect(throws: JSONPatchError.self) {
            try JSONPatch(parsing: [["op": "test", "path": "/subject", "value": .string(Self.nfd)]]).apply(to: attributes)
        }
        #expect(try JSONPointer(parsing: "/attributes/\(Self.nfd)").resolve(in: attributes) == nil)
        #expect(try JSONPointer(parsing: "/attributes/\(Self.nfc)").resolve(in: attributes) == "x")
        #expect(try JSONPointer(parsing: "/a/\(Self.nfc)") != JSONPointer(parsing: "/a/\(Self.nfd)"))
        // Diff: the change is listed.
        let changes = JSONDiff.changes(from: ["subject": .string(Self.nfc)], to: ["subject": .string(Self.nfd)])
        #expect(changes.map(\.dottedPath) == ["subject"])
        #expect(JSONPathComponent.key(Self.nfc) != .key(Self.nfd))
    }

    @Test func nfcAndNFDStayDistinctInTheStore() throws {
        let project = try TestProject()
        let engine = try project.engine()
        // A header with both spellings is two columns, not a duplicate.
        let csv = "sku,product_name,\(Self.nfc),\(Self.nfd)\nU1,Caf\u{E9},a,b\n"
        let batch = try engine.ingest(try project.file("u.csv", csv)).batchID
        _ = try engine.plan(batchID: batch)
        let v1 = try engine.version(of: "U1")
        #expect(v1.spec["attributes"]?[Self.nfc] == "a")
        #expect(v1.spec["attributes"]?[Self.nfd] == "b")
        // A subject respelled in NFD is a change that compare shows.
        let result = try engine.rerender("U1", patches: try ShotPatch.parse(arguments: [#"subject="Cafe\u0301""#]))
        #expect(result.version.hash != v1.hash)
        #expect(try engine.compare("U1", 1, 2).map(\.dottedPath).contains("subject"))
        let stored = try engine.version(of: "U1", number: 2)
        #expect(stored.spec["subject"]?.stringValue?.unicodeScalars.elementsEqual("Cafe\u{301}".unicodeScalars) == true)
    }

    // MARK: 5. Patch forms

    @Test func aQuotedKeyAtTheStartIsADottedAssignment() throws {
        let patches = try ShotPatch.parse(arguments: [#"["odd.key"].x=1"#])
        guard case .assignments(let list) = patches.first else {
            Issue.record("not read as an assignment: \(patches)")
            return
        }
        #expect(list[0].path == [.key("odd.key"), .key("x")])
        guard case .jsonPatch = try ShotPatch.parse(arguments: [#"[ {"op":"remove","path":"/a"}]"#]).first else {
            Issue.record("a JSON Patch with a space after [ was not recognised")
            return
        }
    }

    @Test func badPatchContentNamesItsFile() {
        let error = #expect(throws: PatchParseError.self) { try ShotPatch.parse(fileText: #"{"a":"#, name: "/tmp/p.json") }
        #expect(error?.message.hasPrefix(#"In the patch file "/tmp/p.json", the merge patch is not valid JSON"#) == true)
    }

    // MARK: 6. Project paths stay inside the project

    @Test func aSymlinkedArtifactsDirectoryIsRefused() throws {
        let project = try TestProject()
        let (engine, _) = try project.plannedSample()
        let outside = project.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: project.directory.appendingPathComponent("artifacts"), withDestinationURL: outside)
        let files = ArtifactFiles(projectDirectory: engine.projectDirectory)
        let error = #expect(throws: ArtifactError.self) { try files.store([1, 2, 3], fileExtension: "png") }
        #expect(error?.message.contains("PROJECT/artifacts is a symbolic link") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        // A dangling link is refused too; a link that stays inside the project is fine.
        try FileManager.default.removeItem(at: project.directory.appendingPathComponent("artifacts"))
        try FileManager.default.createSymbolicLink(atPath: project.directory.appendingPathComponent("artifacts").path, withDestinationPath: "/nonexistent-\(UUID())")
        #expect(throws: ArtifactError.self) { try ArtifactFiles(projectDirectory: engine.projectDirectory).store([1], fileExtension: "png") }
        try FileManager.default.removeItem(at: project.directory.appendingPathComponent("artifacts"))
        try FileManager.default.createDirectory(at: project.directory.appendingPathComponent("kept"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: project.directory.appendingPathComponent("artifacts").path, withDestinationPath: "kept")
        let stored = try ArtifactFiles(projectDirectory: engine.projectDirectory).store([1], fileExtension: "png")
        #expect(try ArtifactFiles(projectDirectory: engine.projectDirectory).read(stored.path) == [1])
    }

    // MARK: 7. Export destinations get errors a user can act on

    @Test func exportToAFileOrADanglingLinkSaysWhatIsWrong() throws {
        let project = try TestProject()
        let (engine, batch) = try project.plannedSample()
        let file = try project.file("hostname", "x")
        let error = #expect(throws: ExportError.self) { try engine.export(batchID: batch, options: ExportOptions(directory: file)) }
        #expect(error?.message.contains("is a file, not a directory") == true)
        let out = project.root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent(batch).path, withDestinationPath: "/nonexistent-\(UUID())")
        let linked = #expect(throws: ExportError.self) { try engine.export(batchID: batch, options: ExportOptions(directory: out)) }
        #expect(linked?.message.contains("is a symbolic link") == true)
        #expect(!String(describing: linked as Any).contains("NSCocoaErrorDomain"))
    }

    // MARK: Found in review

    @Test func emojiSequencesSurviveThePromptSanitizer() {
        // Dropping the zero-width joiners leaves several characters: kept, not trapped on.
        let family = "Mug \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} set"
        let plain = TextSanitizer.plain(family, limit: 100)
        #expect(!plain.unicodeScalars.contains("\u{200D}"))
        #expect(plain.hasPrefix("Mug ") && plain.hasSuffix(" set"))
        #expect(plain.unicodeScalars.contains("\u{1F469}"))
    }

    @Test func anObjectWithTooManyMembersIsRefusedAndLargeOnesStayLinear() throws {
        let members = (0..<JSONObject.maxMembers).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let object = try JSONParser.parse("{\(members)}")
        #expect(object.objectValue?.count == JSONObject.maxMembers)
        #expect(object["k9999"] == 9999)
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parse("{\(members),\"extra\":1}") }
        #expect(error.message.contains("at most \(JSONObject.maxMembers) members"))
        // A repeated key far into a large object is still found.
        let repeated = try #require(throws: JSONParseError.self) { try JSONParser.parse("{\(members.prefix(2000)),\"k5\":1}") }
        #expect(repeated.message.contains("duplicate key"))
    }

    @Test func aSeedSetInTheEditedSpecIsKeptAndExplainFollowsBranches() throws {
        let project = try TestProject()
        let (engine, _) = try project.plannedSample()
        let v1 = try engine.version(of: "PROD-001")
        // The whole spec replaced, as the TUI saves an $EDITOR edit, with another seed.
        var edited = v1.spec
        edited["seed"] = 7
        let v2 = try engine.rerender("PROD-001", patches: [.jsonPatch([["op": "replace", "path": "", "value": .object(edited)]])]).version
        #expect(v2.seed == 7)
        // A branch from v1 keeps v1's derived seed; explain names v1, not v2.
        let v3 = try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: ["camera.fov=50"]), from: 1).version
        #expect(v3.seed == v1.seed)
        let sentence = try #require(try engine.explain("PROD-001", version: 3).reproducibility.first { $0.contains("seed") })
        #expect(sentence.contains("v1's canonical spec"), "\(sentence)")
        let explicit = try #require(try engine.explain("PROD-001", version: 2).reproducibility.first { $0.contains("seed") })
        #expect(explicit.contains("set explicitly"), "\(explicit)")
    }
}
