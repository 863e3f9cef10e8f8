import Testing
@testable import AutoDirectorCore

@Suite struct SpecValidatorTests {
    static let valid: JSONObject = [
        "shot_id": "PROD-001", "subject": "Wireless Headphones",
        "camera": ["fov": 45, "position": ["x": 0, "y": 0, "z": 5], "rotation": ["x": 0, "y": 0, "z": 0]],
        "lens": ["aperture": 2.8, "focal_length": 50],
        "lighting": ["key_light": ["intensity": 1.0, "position": ["x": 2, "y": 3, "z": 4]],
                     "rim_light": ["intensity": 0.5, "position": ["x": -2, "y": 2, "z": 3]]],
        "color": ["palette": ["#ffffff", "#000000"]], "background": ["hex": "#f5f5f5"],
        "output": ["width": 1024, "height": 1024], "seed": 123456789,
    ]

    @Test func theSpecExampleIsValid() {
        #expect(SpecValidator.violations(of: Self.valid).isEmpty)
    }

    @Test func everyViolationIsListedByPath() throws {
        var spec = Self.valid
        spec["shot_id"] = "a/b"
        spec["camera"] = ["fov": 0, "position": ["x": 0, "y": 0, "z": 5], "rotation": ["x": 0, "y": 0, "z": 0]]
        spec["lens"] = ["aperture": 0, "focal_length": -1]
        spec["color"] = ["palette": ["#fff"]]
        spec["output"] = ["width": 1020, "height": 8192]
        spec["seed"] = 4294967296
        spec["lighting"] = ["key_light": ["intensity": -1, "position": ["x": 0, "y": 0, "z": 0]]]
        let paths = SpecValidator.violations(of: spec).map(\.path)
        #expect(paths == [
            "shot_id", "camera.fov", "lens.aperture", "lens.focal_length", "lighting.key_light.intensity", "color.palette[0]",
            "output.width", "output.height", "seed",
        ])
    }

    @Test(arguments: ["", ".hidden", "..", "a/b", "a\\b", "a b", "ü", String(repeating: "x", count: 129)])
    func badShotIDs(_ id: String) {
        #expect(ShotID.problem(id) != nil)
    }

    @Test(arguments: ["PROD-001", "a", "A.b_c-9", String(repeating: "x", count: 128)])
    func goodShotIDs(_ id: String) {
        #expect(ShotID.problem(id) == nil)
    }

    @Test func structuredPromptMode() {
        let spec: JSONObject = ["shot_id": "S", "structured_prompt": ["short_description": "x"], "output": ["width": 832, "height": 1248]]
        #expect(SpecValidator.violations(of: spec).isEmpty)
        let bad: JSONObject = ["shot_id": "S", "structured_prompt": "x", "output": ["width": 832, "height": 1248]]
        #expect(SpecValidator.violations(of: bad).map(\.path) == ["structured_prompt"])
        let wrongFields: JSONObject = [
            "shot_id": "S", "output": ["width": 832, "height": 1248],
            "structured_prompt": ["x": 1, "lighting": "bright", "objects": [[:], [:], [:], [:], [:], [:]], "context": nil],
        ]
        #expect(SpecValidator.violations(of: wrongFields).map(\.path) == [
            "structured_prompt.x", "structured_prompt.lighting", "structured_prompt.objects",
        ])
    }
}

@Suite struct SpecHasherTests {
    @Test func derivedSeedMatchesTheDefinition() throws {
        var spec = SpecValidatorTests.valid
        spec.removeValue(forKey: "seed")
        let hashed = try SpecHasher.hash(spec)
        #expect(hashed.seedDerived)
        #expect(hashed.seed == SHA256Hex.leadingUInt32(try CanonicalJSON.bytes(.object(spec))))
        #expect(hashed.canonical == (try CanonicalJSON.bytes(.object(hashed.spec))))
        #expect(hashed.hash == SHA256Hex.digest(hashed.canonical))
    }

    @Test func givenSeedIsKeptAndKeyOrderDoesNotMatter() throws {
        let hashed = try SpecHasher.hash(SpecValidatorTests.valid)
        #expect(!hashed.seedDerived && hashed.seed == 123456789)
        let reversed = JSONObject(SpecValidatorTests.valid.members.reversed())
        #expect(try SpecHasher.hash(reversed).hash == hashed.hash)
        #expect(hashed.canonical == (try CanonicalJSON.bytes(.object(SpecValidatorTests.valid))))
    }
}

@Suite struct HexColorTests {
    @Test func oneParserForEveryColour() {
        #expect(HexColor("#1a2B3c") == HexColor("#1A2B3C"))
        #expect(HexColor("#1a2B3c")?.hex == "#1A2B3C")
        #expect(HexColor("#ff0080").map { [$0.red, $0.green, $0.blue] } == [255, 0, 128])
        // What the mock once accepted and the validator did not: a sign, spaces, short forms, non-ASCII digits.
        for text in ["#+12345", "#-12345", "# 12345", "#fff", "123456", "#1234567", "#12345g", "#１２３４５６", ""] {
            #expect(HexColor(text) == nil, "\(text.debugDescription)")
        }
    }
}
