import Foundation
import Testing
import ZIPFoundation
@testable import AutoDirectorCore

/// `verify` against good, corrupted, incomplete, padded and hostile bundles.
@Suite struct VerifyTests {
    static func exported(_ project: TestProject) async throws -> ExportResult {
        let engine = try await ExportTests.renderedSample(project)
        return try engine.export(batchID: "products", options: ExportOptions(directory: project.root.appendingPathComponent("out"), zip: true))
    }

    @Test func aFreshBundleAndItsZipVerify() async throws {
        let project = try TestProject()
        let result = try await Self.exported(project)
        for url in [result.directory, try #require(result.zip)] {
            let report = try BundleVerifier.verify(url)
            #expect(report.problems.isEmpty, "\(report.problems)")
            #expect(report.files == 7 && report.manifestEntries == 3)
        }
    }

    @Test func oneChangedByteNamesItsFile() async throws {
        let project = try TestProject()
        let result = try await Self.exported(project)
        let image = result.directory.appendingPathComponent("images/PROD-002_v1.png")
        var bytes = [UInt8](try Data(contentsOf: image))
        bytes[bytes.count - 20] ^= 0x01  // in the pixels, not the provenance after IHDR
        try Data(bytes).write(to: image)
        let problems = try BundleVerifier.verify(result.directory).problems
        #expect(problems.map(\.path) == ["images/PROD-002_v1.png", "images/PROD-002_v1.png"], "SHA256SUMS and the manifest both disagree: \(problems)")
        #expect(problems[0].message.contains("SHA256SUMS says"))
        #expect(problems[1].message.contains("manifest.json says"))
    }

    @Test func missingAndExtraFilesAreNamed() async throws {
        let project = try TestProject()
        let result = try await Self.exported(project)
        try FileManager.default.removeItem(at: result.directory.appendingPathComponent("report.md"))
        try Data("x".utf8).write(to: result.directory.appendingPathComponent("images/planted.png"))
        let problems = try BundleVerifier.verify(result.directory).problems
        #expect(problems.contains { $0.path == "report.md" && $0.message.contains("missing") })
        #expect(problems.contains { $0.path == "images/planted.png" && $0.message.contains("not listed") })
    }

    @Test func pathsThatLeaveTheBundleAreRefusedNotRead() async throws {
        let project = try TestProject()
        let result = try await Self.exported(project)
        let sums = result.directory.appendingPathComponent("SHA256SUMS")
        let secret = project.root.appendingPathComponent("secret.txt")
        try Data("secret".utf8).write(to: secret)
        var text = try String(contentsOf: sums, encoding: .utf8)
        text += "\(SHA256Hex.digest(Array("secret".utf8)))  ../../secret.txt\n\(String(repeating: "0", count: 64))  /etc/hostname\n"
        try Data(text.utf8).write(to: sums)
        let problems = try BundleVerifier.verify(result.directory).problems
        #expect(problems.map(\.path) == ["../../secret.txt", "/etc/hostname"])
        #expect(problems.allSatisfy { $0.message.contains("leaves the bundle") })

        // A zip with an entry that climbs out is refused entry by entry.
        let zip = project.root.appendingPathComponent("evil.zip")
        let archive = try Archive(url: zip, accessMode: .create)
        let payload = Data("x".utf8)
        try archive.addEntry(with: "products/../../evil", type: .file, uncompressedSize: Int64(payload.count), compressionMethod: .none) { position, size in
            payload.subdata(in: Int(position)..<Int(position) + size)
        }
        let report = try BundleVerifier.verify(zip)
        #expect(report.problems.contains { $0.path == "products/../../evil" && $0.message.contains("refused") })
        #expect(report.problems.contains { $0.path == "SHA256SUMS" })
    }

    @Test func somethingThatIsNoBundleSaysSo() throws {
        let project = try TestProject()
        #expect(throws: VerifyError.self) { try BundleVerifier.verify(project.root.appendingPathComponent("nothing")) }
        let file = try project.file("plain.txt", "hello")
        let error = #expect(throws: VerifyError.self) { try BundleVerifier.verify(file) }
        #expect(error?.message.contains("neither a directory nor a readable zip") == true)
        // Said as a failure to verify, not to export (issue 19, defect 15).
        #expect(error?.description.hasPrefix("Verify failed: ") == true)
    }
}

@Suite struct StreamingExportTests {
    @Test func imagesAreStoredTextIsDeflatedAndAFailureHalfWayLeavesNothing() async throws {
        let project = try TestProject()
        let engine = try await ExportTests.renderedSample(project)
        let out = project.root.appendingPathComponent("out")
        let result = try engine.export(batchID: "products", options: ExportOptions(directory: out, zip: true))
        let archive = try Archive(url: try #require(result.zip), accessMode: .read)
        let entries = Array(archive)
        #expect(entries.map(\.path).last == "products/SHA256SUMS")
        for entry in entries where entry.path.hasSuffix(".png") { #expect(entry.compressedSize == entry.uncompressedSize, "\(entry.path) stored") }
        let manifest = try #require(entries.first { $0.path == "products/manifest.json" })
        #expect(manifest.compressedSize < manifest.uncompressedSize, "text is deflated")

        // An image changed on disk after it was rendered: the export stops and leaves the
        // earlier bundle exactly as it was, with no staging files beside it.
        let before = try Data(contentsOf: try #require(result.zip))
        let version = try engine.version(of: "PROD-003")
        let artifact = try #require(try engine.artifact(for: version))
        let file = engine.projectDirectory.appendingPathComponent(artifact.path)
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[bytes.count - 1] ^= 0xFF
        try Data(bytes).write(to: file)
        let error = #expect(throws: ExportError.self) { try engine.export(batchID: "products", options: ExportOptions(directory: out, zip: true)) }
        #expect(error?.message.contains("does not match its SHA-256") == true)
        #expect(try Data(contentsOf: try #require(result.zip)) == before)
        // Beside the bundle, only the lock exports of the batch take turns on (`ExportLock`).
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == [".products.lock", "products", "products.zip"])
        #expect(try BundleVerifier.verify(result.directory).problems.isEmpty)
    }
}

@Suite struct ContactSheetTests {
    @Test func everyDataStringIsEscapedAndNothingComesFromTheNetwork() throws {
        let batch = Batch(id: "b<1>", sourceName: "x\"y.csv", sourceSHA256: "", format: .csv, header: [], rowCount: 1, createdAt: TestProject.fixedDate, preset: nil, plannedAt: nil)
        let entries: [JSONValue] = [[
            "shot_id": "A-1", "version": 2, "hash": "0123456789abcdef", "review": "rejected",
            "reviewer": "<script>alert(1)</script>", "note": "too \"dark\" & 'flat'\u{1B}[2J", "file": "images/A-1_v2.png",
        ], ["shot_id": "B-2", "version": 1, "hash": "fedcba", "review": "pending", "file": nil]]
        let html = ContactSheet.html(batch: batch, entries: entries)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("too &quot;dark&quot; &amp; &#39;flat&#39;\\e[2J"))
        #expect(html.contains("Batch b&lt;1&gt;"))
        #expect(html.contains("<img src=\"images/A-1_v2.png\" alt=\"A-1 v2\" loading=\"lazy\""))
        #expect(html.contains("not rendered"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"))
    }
}

@Suite struct ExportLeftoverTests {
    @Test func whatAKilledExportLeftIsCleanedAndOddFilesAreReported() async throws {
        let project = try TestProject()
        let engine = try await ExportTests.renderedSample(project)
        let out = project.root.appendingPathComponent("out")
        _ = try engine.export(batchID: "products", options: ExportOptions(directory: out, zip: true))
        // As a kill -9 in the middle of an export and of a replacement would leave them.
        for name in [".products.export-DEAD", ".products.zip.export-DEAD", ".products.old-DEAD"] {
            try FileManager.default.createDirectory(at: out.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let result = try engine.export(batchID: "products", options: ExportOptions(directory: out, zip: true))
        // Beside the bundle, only the lock exports of the batch take turns on (`ExportLock`).
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == [".products.lock", "products", "products.zip"])
        // A link inside the bundle is reported, not followed.
        try FileManager.default.createSymbolicLink(atPath: result.directory.appendingPathComponent("images/link.png").path, withDestinationPath: "/etc/hostname")
        let problems = try BundleVerifier.verify(result.directory).problems
        #expect(problems.map(\.path) == ["images/link.png"])
        #expect(problems[0].message.contains("not a regular file"))
    }
}
