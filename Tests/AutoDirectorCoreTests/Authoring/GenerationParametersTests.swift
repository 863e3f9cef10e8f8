import Testing
@testable import AutoDirectorCore

/// SPEC §18: generation parameters in the spec, FIBO's native ratios, the mock's size and seed.
@Suite struct GenerationParametersTests {
    static func messages(_ spec: JSONObject) -> [String] {
        SpecValidator.violations(of: spec).map { "\($0.path) \($0.message)" }
    }

    @Test func parametersAreValidatedInBothModes() {
        var spec = SpecValidatorTests.valid
        spec["generation"] = ["model": "lite", "resolution": "4MP", "negative_prompt": "blurry", "steps_num": 8, "guidance_scale": 4.5]
        #expect(Self.messages(spec).isEmpty)
        spec["generation"] = ["model": "turbo", "resolution": "2MP", "steps_num": 8.5, "guidance_scale": 0, "negative_prompt": 3, "seed": 1]
        let found = Self.messages(spec)
        #expect(found.contains { $0.hasPrefix("generation.model must be one of standard, lite (got \"turbo\")") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("generation.resolution must be one of 1MP, 4MP") })
        #expect(found.contains { $0.hasPrefix("generation.steps_num must be an integer from 1 to 100") })
        #expect(found.contains { $0.hasPrefix("generation.guidance_scale must be a number from 1 to 20") })
        #expect(found.contains { $0.hasPrefix("generation.negative_prompt must be a string") })
        #expect(found.contains { $0.hasPrefix("generation.seed is not a known field") })
        let structured: JSONObject = [
            "shot_id": "S-1", "structured_prompt": ["short_description": "a cup"], "output": ["width": 832, "height": 1248],
            "generation": ["model": "lite"], "source": ["kind": "refine", "note": "warmer"],
        ]
        #expect(Self.messages(structured).isEmpty)
        var badSource = structured
        badSource["source"] = ["kind": "dream", "image_sha256": "ABC"]
        #expect(Self.messages(badSource).contains { $0.hasPrefix("source.kind must be one of refine, inspire") })
        #expect(Self.messages(badSource).contains { $0.hasPrefix("source.image_sha256 must be 64 lowercase hex digits") })
    }

    @Test func onlyNativeAspectRatiosPass() {
        var spec = SpecValidatorTests.valid
        for (width, height) in [(1024, 1024), (832, 1248), (1216, 832), (1344, 768), (1024, 768), (768, 1024), (512, 640), (1152, 896)] {
            spec["output"] = ["width": .number(Double(width)), "height": .number(Double(height))]
            #expect(Self.messages(spec).isEmpty, "\(width)×\(height)")
        }
        spec["output"] = ["width": 1280, "height": 800]
        #expect(Self.messages(spec) == [
            "output 1280×800 is not one of FIBO's native aspect ratios (1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9); "
                + "for example 1024×1024, 832×1248, 1248×832, 768×1024, 1024×768, 1344×768",
        ])
        spec["output"] = ["width": 2048, "height": 512]
        #expect(Self.messages(spec).count == 1)
    }

    @Test func aSpecWithoutParametersHashesAsBefore() throws {
        // The golden hashes (GoldenHashTests) stay; a parameter set is another spec.
        var spec = SpecValidatorTests.valid
        let before = try SpecHasher.hash(spec).hash
        spec["generation"] = ["model": "lite"]
        #expect(try SpecHasher.hash(spec).hash != before)
        #expect(GenerationParameters(spec: SpecValidatorTests.valid) == GenerationParameters())
        #expect(GenerationParameters(spec: spec).endpoint == "/image/generate/lite")
    }

    @Test func theMockHonoursResolutionRatioAndSeed() throws {
        var spec = SpecValidatorTests.valid
        spec["output"] = ["width": 1344, "height": 768]
        let standard = try PNGCodec.decode(try MockProvider.image(for: try MockProviderTests.request(spec)).bytes)
        #expect((standard.width, standard.height) == (256, 144), "16:9 at 1MP")
        spec["generation"] = ["resolution": "4MP"]
        let large = try PNGCodec.decode(try MockProvider.image(for: try MockProviderTests.request(spec)).bytes)
        #expect((large.width, large.height) == (512, 288), "16:9 at 4MP")
        var pictures: Set<[UInt8]> = []
        for seed in 0..<4 {
            spec["seed"] = .number(Double(seed))
            pictures.insert(try MockProvider.image(for: try MockProviderTests.request(spec)).bytes)
        }
        #expect(pictures.count == 4, "a seed changes the picture")
        spec["seed"] = .number(Double(1 + MockImageSynthesizer.variations))
        #expect(pictures.contains(try MockProvider.image(for: try MockProviderTests.request(spec)).bytes), "a handful of pictures per look")
    }

    @Test func theOfflinePromptModelIsDeterministicAndChangesOneFieldPerPhrase() {
        let base = StructuredPrompt.forSpec(SpecValidatorTests.valid)
        let request = PromptModelRequest(structuredPrompt: base, text: "warmer, 85 mm, backlit, matte texture, dreamy")
        let answer = MockPromptModel.answer(request)
        #expect(answer == MockPromptModel.answer(request))
        let paths = Set(JSONDiff.changes(from: .object(base), to: .object(answer)).map(\.dottedPath))
        #expect(paths.isSuperset(of: [
            "lighting.conditions", "lighting.direction", "photographic_characteristics.lens_focal_length", "objects[0].texture",
            "aesthetics.mood_atmosphere",
        ]), "\(paths)")
        #expect(MockPromptModel.focalLength("shoot it at 35-mm") == 35 && MockPromptModel.focalLength("mm only") == nil)
        let fromText = MockPromptModel.answer(PromptModelRequest(text: "a blue mug"))
        #expect(fromText["short_description"] == "a blue mug")
        let png = MockPromptModel.answer(PromptModelRequest(image: try! PNGCodec.encode(PNGCodec.Image(width: 2, height: 1, rgb: [255, 0, 0, 255, 0, 0]))))
        #expect(png["aesthetics"]?["color_scheme"] == "dominated by #ff0000")
    }
}
