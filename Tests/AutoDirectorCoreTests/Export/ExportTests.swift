import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct ExportTests {
    static func renderedSample(_ project: TestProject) async throws -> Engine {
        let (engine, batch) = try project.plannedSample()
        _ = try engine.enqueueRender(batchID: batch)
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        return engine
    }

    @Test(arguments: StoreKind.all) func theBundleVerifiesAndIsByteIdenticalAcrossExports(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let engine = try await Self.renderedSample(project)
        _ = try engine.approve(["PROD-001"], reviewer: "ana")
        let out = project.root.appendingPathComponent("out")
        let first = try engine.export(batchID: "products", options: ExportOptions(directory: out, zip: true))
        #expect(first.entries == 3 && first.images == 3)
        let zip = try Data(contentsOf: try #require(first.zip))
        let manifest = try Data(contentsOf: first.directory.appendingPathComponent("manifest.json"))
        _ = try engine.export(batchID: "products", options: ExportOptions(directory: out, zip: true))
        #expect(try Data(contentsOf: try #require(first.zip)) == zip)
        #expect(try Data(contentsOf: first.directory.appendingPathComponent("manifest.json")) == manifest)

        // Every line of SHA256SUMS matches its file, and every other file is listed.
        let sums = try String(contentsOf: first.directory.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        var listed: [String] = []
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let path = String(parts[1].dropFirst())
            listed.append(path)
            let bytes = [UInt8](try Data(contentsOf: first.directory.appendingPathComponent(path)))
            #expect(SHA256Hex.digest(bytes) == parts[0], "\(path)")
        }
        #expect(listed == ["images/PROD-001_v1.png", "images/PROD-002_v1.png", "images/PROD-003_v1.png", "index.html", "manifest.json", "report.json", "report.md"])

        let parsed = try JSONParser.parse([UInt8](manifest))
        #expect(parsed["shots"]?.arrayValue?.first?["review"] == "approved")
        #expect(parsed["shots"]?.arrayValue?.first?["image_sha256"]?.stringValue?.count == 64)
        let report = try JSONParser.parse([UInt8](try Data(contentsOf: first.directory.appendingPathComponent("report.json"))))
        #expect(report["approved"] == 1 && report["pending"] == 2 && report["rendered"] == 3)
    }

    @Test(arguments: StoreKind.all) func approvedOnlyAndAllVersions(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let engine = try await Self.renderedSample(project)
        _ = try engine.approve(["PROD-002"], reviewer: "ana")
        _ = try engine.rerender("PROD-002", patches: [.merge(["camera": ["fov": 50]])])
        let out = project.root.appendingPathComponent("out")
        let approved = try engine.export(batchID: "products", options: ExportOptions(directory: out, approvedOnly: true, allVersions: true))
        #expect(approved.entries == 1)
        let all = try engine.export(batchID: "products", options: ExportOptions(directory: out, allVersions: true))
        #expect(all.entries == 4 && all.images == 3)
        let names = try FileManager.default.contentsOfDirectory(atPath: all.directory.appendingPathComponent("images").path).sorted()
        #expect(names == ["PROD-001_v1.png", "PROD-002_v1.png", "PROD-003_v1.png"])
        #expect(throws: EngineError.self) { try engine.export(batchID: "nope", options: ExportOptions(directory: out)) }
    }
}
