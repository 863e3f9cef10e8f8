import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// Exported pictures carry their provenance (SPEC §18); `verify` reads it back.
@Suite struct ProvenanceTests {
    static let png = try! PNGCodec.encode(PNGCodec.Image(width: 2, height: 1, rgb: [10, 20, 30, 40, 50, 60]))

    @Test func aChunkIsInsertedAfterTheHeaderOnceAndReadBackInAnyPieces() throws {
        let once = try PNGTextChunk.inserting("{\"a\":\"é\"}", keyword: ImageProvenance.keyword, into: Self.png)
        let twice = try PNGTextChunk.inserting("{\"a\":\"é\"}", keyword: ImageProvenance.keyword, into: once)
        #expect(once == twice, "writing it again replaces it")
        #expect(try PNGCodec.decode(once).rgb == [10, 20, 30, 40, 50, 60], "still a picture libpng reads")
        let types = try PNGTextChunk.walk(once).map(\.type)
        #expect(types.prefix(2) == ["IHDR", "iTXt"] && types.last == "IEND" && types.filter { $0 == "iTXt" }.count == 1, "\(types)")
        for size in [1, 3, 7, 4096] {
            var scanner = PNGTextScanner(keyword: ImageProvenance.keyword)
            var offset = 0
            while offset < once.count {
                scanner.feed(once[offset..<min(offset + size, once.count)])
                offset += size
            }
            #expect(scanner.finding == .text("{\"a\":\"é\"}"), "in pieces of \(size)")
        }
        #expect(ImageProvenance.read(Self.png) == .absent)
        #expect(ImageProvenance.read(Array("not a picture".utf8)) == .notPNG)
        #expect(ImageProvenance.read(Array(once.dropLast(12))) == .notPNG, "cut before IEND")
        var edited = once
        edited[PNGTextChunk.signature.count + 25 + 8 + ImageProvenance.keyword.utf8.count + 7] ^= 0x20  // a byte of the text
        #expect(ImageProvenance.read(edited) == .damaged)
        #expect(throws: PNGTextChunk.ChunkError.self) { try PNGTextChunk.inserting("x", keyword: "k", into: Array(Self.png.dropLast(5))) }
    }

    @Test(arguments: StoreKind.all) func exportedPicturesCarryTheirProvenanceAndStayByteIdentical(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let engine = try await ExportTests.renderedSample(project)
        let out = project.root.appendingPathComponent("out")
        let first = try engine.export(batchID: "products", options: ExportOptions(directory: out))
        let image = try [UInt8](Data(contentsOf: first.directory.appendingPathComponent("images/PROD-001_v1.png")))
        let again = try engine.export(batchID: "products", options: ExportOptions(directory: project.root.appendingPathComponent("again")))
        #expect(try [UInt8](Data(contentsOf: again.directory.appendingPathComponent("images/PROD-001_v1.png"))) == image)

        guard case .text(let text) = ImageProvenance.read(image) else { Issue.record("no provenance"); return }
        let provenance = try #require(ImageProvenance.parse(text))
        let version = try engine.version(of: "PROD-001", number: 1)
        #expect(provenance["shot_id"] == "PROD-001" && provenance["version"] == 1)
        #expect(provenance["spec_hash"]?.stringValue == version.hash && provenance["seed"]?.numberValue == Double(version.seed))
        #expect(provenance["provider"] == "mock" && provenance["model"] == "standard" && provenance["request_id"] == .null)
        #expect(provenance["rendered_at"]?.stringValue?.hasPrefix("20") == true)
        #expect(provenance["structured_prompt"]?.objectValue == engine.compiledPrompt(version))
        #expect(text == (try? CanonicalJSON.string(provenance)), "canonical JSON, so the bytes are the same each time")

        let manifest = try JSONParser.parse([UInt8](Data(contentsOf: first.directory.appendingPathComponent("manifest.json"))))
        let entry = try #require(manifest["shots"]?.arrayValue?.first { $0["shot_id"] == "PROD-001" })
        #expect(entry["provenance_sha256"]?.stringValue == SHA256Hex.digest(Array(text.utf8)))
        #expect(entry["image_sha256"]?.stringValue == SHA256Hex.digest(image), "the file in the bundle")
        #expect(entry["render_sha256"]?.stringValue == (try engine.store.artifact(for: version.hash))?.imageSHA256, "the picture as rendered")
    }

    @Test func verifyNoticesAnEditedProvenanceEvenWithTheChecksumsMended() async throws {
        let project = try TestProject()
        let result = try await VerifyTests.exported(project)
        let path = "images/PROD-002_v1.png"
        let url = result.directory.appendingPathComponent(path)
        let image = try [UInt8](Data(contentsOf: url))
        guard case .text(let text) = ImageProvenance.read(image), let provenance = ImageProvenance.parse(text)?.objectValue else {
            Issue.record("no provenance")
            return
        }

        // Another seed written in with a valid CRC, and both checksum lists mended to match.
        var forged = provenance
        forged["seed"] = 7
        try mend(result.directory, path: path, with: try PNGTextChunk.inserting(try CanonicalJSON.string(.object(forged)), keyword: ImageProvenance.keyword, into: image))
        var problems = try BundleVerifier.verify(result.directory).problems
        #expect(problems.count == 1 && problems.first?.path == path, "\(problems)")
        #expect(problems.first?.message.contains("its provenance was edited: seed 7 where manifest.json says") == true, "\(problems)")

        // A request id made up: nothing the manifest lists, but not the text exported.
        forged = provenance
        forged["request_id"] = "req-invented"
        try mend(result.directory, path: path, with: try PNGTextChunk.inserting(try CanonicalJSON.string(.object(forged)), keyword: ImageProvenance.keyword, into: image))
        problems = try BundleVerifier.verify(result.directory).problems
        #expect(problems.first?.message.contains("its provenance was edited (SHA-256") == true, "\(problems)")

        // Taken out.
        var stripped = Array(PNGTextChunk.signature)
        for chunk in try PNGTextChunk.walk(image) where chunk.type != "iTXt" { stripped += image[chunk.start..<chunk.end] }
        try mend(result.directory, path: path, with: stripped)
        problems = try BundleVerifier.verify(result.directory).problems
        #expect(problems.first?.message.contains("carries no provenance") == true, "\(problems)")
    }

    /// Writes `bytes` at `path` and makes SHA256SUMS and manifest.json agree with them.
    private func mend(_ bundle: URL, path: String, with bytes: [UInt8]) throws {
        let url = bundle.appendingPathComponent(path)
        let old = SHA256Hex.digest(try [UInt8](Data(contentsOf: url)))
        let new = SHA256Hex.digest(bytes)
        try Data(bytes).write(to: url)
        for name in ["SHA256SUMS", "manifest.json"] {
            let file = bundle.appendingPathComponent(name)
            try Data(try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: old, with: new).utf8).write(to: file)
        }
        let sums = bundle.appendingPathComponent("SHA256SUMS")
        let manifest = SHA256Hex.digest(try [UInt8](Data(contentsOf: bundle.appendingPathComponent("manifest.json"))))
        let lines = try String(contentsOf: sums, encoding: .utf8).split(separator: "\n").map { line in
            line.hasSuffix("  manifest.json") ? "\(manifest)  manifest.json" : String(line)
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: sums)
    }
}
