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

    /// The review vocabulary travels with the bundle (SPEC §17): stages, retakes, assignee and
    /// notes in the manifest and report.md; pins drawn on the contact sheet's pictures.
    @Test(arguments: StoreKind.all) func theBundleCarriesTheReview(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let engine = try await Self.renderedSample(project)
        try engine.setProjectSetting("stages", to: "art, brand")
        _ = try engine.approve(["PROD-001"], stage: "art", reviewer: "ana")
        _ = try engine.approve(["PROD-001"], stage: "brand", reviewer: "bo")
        _ = try engine.approve(["PROD-002"], stage: "art", reviewer: "ana")
        _ = try engine.retake(["PROD-003"], note: "logo | too small", pin: try NotePin.parse("0.25,0.5"), reviewer: "bo")
        let note = try engine.writeNote("PROD-002", text: "crop tighter", pin: try NotePin.parse("0.1,0.2,0.3,0.4"), author: "ana")
        _ = try engine.reply(to: note.id, text: "will do", author: "cy")
        _ = try engine.resolveNote(note.id, reviewer: "ana")
        _ = try engine.assign(["PROD-003"], to: "cy", reviewer: "lead")

        let out = project.root.appendingPathComponent("out")
        let bundle = try engine.export(batchID: "products", options: ExportOptions(directory: out))
        let manifest = try JSONParser.parse([UInt8](try Data(contentsOf: bundle.directory.appendingPathComponent("manifest.json"))))
        #expect(manifest["approval_stages"] == ["art", "brand"])
        let shots = try #require(manifest["shots"]?.arrayValue)
        #expect(shots.map { $0["approved_stages"] } == [["art", "brand"], ["art"], []])
        #expect(shots.map { $0["retakes"] } == [0, 0, 1] && shots.map { $0["assignee"] } == [.null, .null, "cy"])
        let thread = try #require(shots[1]["notes"]?.arrayValue?.first)
        #expect(thread["state"] == "resolved" && thread["changed_by"] == "ana" && thread["replies"]?.arrayValue?.first?["text"] == "will do")
        #expect(shots[2]["notes"]?.arrayValue?.first?["retake"] == true)

        let report = try String(contentsOf: bundle.directory.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains("| PROD-001 | v1 | approved | art ✓ brand ✓ | 0 | - | 0/0 |"), "\(report)")
        #expect(report.contains("| PROD-003 | v1 | changes_requested | art · brand · | 1 | cy | 1/0 |"), "\(report)")
        #expect(report.contains("- #1 [open] retake bo, 2026-09-21T14:13:20.000Z: logo \\| too small (pinned at 0.25,0.5)"), "\(report)")
        #expect(report.contains("  - cy, 2026-09-21T14:13:20.000Z: will do"), "\(report)")
        let sheet = try String(contentsOf: bundle.directory.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(sheet.contains(#"<span class="pin open" style="left:25%;top:50%">1</span>"#), "the retake's pin on PROD-003's picture")
        #expect(sheet.contains(#"<span class="box resolved" style="left:10%;top:20%;width:30%;height:40%"><b>1</b></span>"#))
        #expect(sheet.contains("art ✓ brand · · 0 retakes") && sheet.contains("1 retake · assigned to cy"))

        let verified = try BundleVerifier.verify(bundle.directory)
        #expect(verified.problems.isEmpty, "\(verified.problems)")
        let again = try engine.export(batchID: "products", options: ExportOptions(directory: out))
        #expect(try Data(contentsOf: again.directory.appendingPathComponent("index.html")) == Data(sheet.utf8), "byte-identical")
        let approvedOnly = try engine.export(batchID: "products", options: ExportOptions(directory: out, approvedOnly: true))
        #expect(approvedOnly.entries == 1, "approved means approved at every stage")
    }
}
