import Foundation
import Testing
@testable import AutoDirectorCore

@Suite struct MockProviderTests {
    static func request(_ spec: JSONObject) throws -> RenderRequest {
        let hashed = try SpecHasher.hash(spec)
        return RenderRequest(shotID: "PROD-001", version: 1, hash: hashed.hash, spec: hashed.spec, seed: hashed.seed)
    }

    @Test func sameSpecGivesByteIdenticalPNG() async throws {
        let request = try Self.request(SpecValidatorTests.valid)
        let first = try await MockProvider().render(request)
        let second = try await MockProvider().render(request)
        #expect(first.bytes == second.bytes)
        #expect(first.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(first.mime == "image/png")
        #expect((first.width, first.height) == (256, 256))
    }

    @Test func theImageShowsTheSpec() throws {
        var spec = SpecValidatorTests.valid
        spec["background"] = ["hex": "#e8f0f5"]
        spec["output"] = ["width": 1216, "height": 832]
        let image = try PNGCodec.decode(try MockProvider.image(for: try Self.request(spec)).bytes)
        #expect((image.width, image.height) == (256, 171), "FIBO's 1216×832 is its 3:2, and the picture is 3:2")
        // The top-left corner is background, the bottom-left is the first palette band.
        let corner = Array(image.rgb[0..<3])
        #expect(corner.enumerated().allSatisfy { abs(Int($0.element) - [0xe8, 0xf0, 0xf5][$0.offset]) < 40 })
        let bottom = ((image.height - 1) * image.width) * 3
        #expect(Array(image.rgb[bottom..<bottom + 3]) == [0xff, 0xff, 0xff])

        var other = spec
        other["background"] = ["hex": "#202020"]
        #expect(try MockProvider.image(for: try Self.request(other)).bytes != (try MockProvider.image(for: try Self.request(spec)).bytes))
    }

    @Test func structuredPromptSpecsRenderToo() throws {
        let spec: JSONObject = ["shot_id": "S", "structured_prompt": ["short_description": "a vase"], "output": ["width": 832, "height": 1248]]
        let image = try PNGCodec.decode(try MockProvider.image(for: try Self.request(spec)).bytes)
        #expect((image.width, image.height) == (171, 256))
    }

    @Test func pngRoundTripsAndRejectsGarbage() throws {
        let image = PNGCodec.Image(width: 3, height: 2, rgb: (0..<18).map { UInt8($0 * 10) })
        #expect(try PNGCodec.decode(try PNGCodec.encode(image)) == image)
        #expect(throws: PNGCodec.CodecError.self) { try PNGCodec.decode([1, 2, 3]) }
        #expect(throws: PNGCodec.CodecError.self) { try PNGCodec.encode(PNGCodec.Image(width: 2, height: 2, rgb: [0])) }
    }

    @Test func artifactsAreContentAddressedAndStayInside() throws {
        let project = try TestProject()
        let files = ArtifactFiles(projectDirectory: project.directory)
        let stored = try files.store([1, 2, 3], fileExtension: "png")
        #expect(stored.path == "artifacts/\(stored.sha256.prefix(2))/\(stored.sha256).png")
        #expect(try files.store([1, 2, 3], fileExtension: "png") == stored)
        #expect(try files.read(stored.path) == [1, 2, 3])
        #expect(throws: ArtifactError.self) { try files.read("artifacts/../autodirector.sqlite") }
        #expect(throws: ArtifactError.self) { try files.store([1], fileExtension: "../x") }
    }
}
