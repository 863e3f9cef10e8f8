import Testing
@testable import AutoDirectorCore

@Suite struct DottedPathTests {
    @Test func parsesKeysIndicesAndQuotedKeys() throws {
        #expect(try DottedPath.parse("camera.fov") == [.key("camera"), .key("fov")])
        #expect(try DottedPath.parse("color.palette[1]") == [.key("color"), .key("palette"), .index(1)])
        #expect(try DottedPath.parse(#"["a.b"].c"#) == [.key("a.b"), .key("c")])
        for bad in ["", "a..b", ".a", "a.", "a[-1]", "a[x]", #"["open"#] {
            #expect(throws: DottedPath.ParseError.self, "\(bad)") { try DottedPath.parse(bad) }
        }
    }

    @Test func setCreatesObjectsAndIndexesArrays() throws {
        let root: JSONValue = ["color": ["palette": ["#000000"]]]
        var result = try DottedPath.setting("#ffffff", at: try DottedPath.parse("color.palette.1"), in: root)
        #expect(result["color"]?["palette"] == ["#000000", "#ffffff"])
        result = try DottedPath.setting(1, at: try DottedPath.parse("a.b.c"), in: result)
        #expect(result["a"]?["b"]?["c"] == 1)
        #expect(throws: DottedPath.SetError.self) { try DottedPath.setting(1, at: [.key("color"), .key("palette"), .index(5)], in: root) }
        #expect(throws: DottedPath.SetError.self) { try DottedPath.setting(1, at: [.key("color"), .key("palette"), .index(0), .key("x")], in: root) }
    }

    @Test func assignmentValuesAreJSONOrText() throws {
        #expect(try DottedAssignment(parsing: "camera.fov=60").value == 60)
        #expect(try DottedAssignment(parsing: "subject=Red Mug").value == "Red Mug")
        #expect(try DottedAssignment(parsing: #"subject="42""#).value == "42")
        #expect(try DottedAssignment(parsing: "color.palette=[\"#000000\"]").value == ["#000000"])
        #expect(throws: PatchParseError.self) { try DottedAssignment(parsing: "camera.fov") }
    }

    @Test func argumentsAreRecognisedByForm() throws {
        let patches = try ShotPatch.parse(arguments: ["a=1", "b=2", #"{"c":3}"#, #"[{"op":"remove","path":"/d"}]"#, "e=5"])
        #expect(patches.count == 4)
        guard case .assignments(let first) = patches[0], case .merge = patches[1], case .jsonPatch = patches[2], case .assignments = patches[3] else {
            Issue.record("forms not recognised: \(patches)")
            return
        }
        #expect(first.count == 2)
        #expect(throws: PatchParseError.self) { try ShotPatch.parse(arguments: ["{oops"]) }
    }

    @Test func onlyPatchesThatChangeTheSeedSetIt() throws {
        let project = try TestProject()
        let base = try project.plannedSample().0.version(of: "PROD-001")
        func seed(_ patches: [ShotPatch]) throws -> UInt32 { try Patcher.apply(patches, to: base).hashed.seed }
        // A test reads the seed: the parent's is kept.
        #expect(try seed([.jsonPatch([["op": "test", "path": "/seed", "value": .number(Double(base.seed))], ["op": "replace", "path": "/camera/fov", "value": 50]])]) == base.seed)
        #expect(try seed([.jsonPatch([["op": "replace", "path": "/seed", "value": 1]])]) == 1)
        #expect(try seed([.merge(["seed": 5])]) == 5)
        #expect(try seed([.merge(["camera": ["fov": 5]])]) == base.seed)
        // Removing it derives it again from the patched spec.
        #expect(try seed([.merge(["seed": nil, "camera": ["fov": 5]])]) != base.seed)
    }

    @Test func invisibleCharactersAreEscapedInJSONOutput() throws {
        let json = JSONWriter.compact(["s": .string("a\u{202E}b\u{9B}c\u{7F}")])
        let safe = TextSanitizer.escapingInvisiblesInJSON(json)
        #expect(safe == #"{"s":"a\u202eb\u009bc\u007f"}"#)
        #expect(try JSONParser.parse(safe) == JSONParser.parse(json))
    }
}

