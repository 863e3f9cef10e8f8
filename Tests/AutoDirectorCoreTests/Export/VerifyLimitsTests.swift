import Foundation
import Testing
import ZIPFoundation
@testable import AutoDirectorCore

/// Issue 19, defects 7 and 16: `verify` streams every file and bounds what a hostile bundle
/// can make it read; and it reads `SHA256SUMS` as `sha256sum -c` does.
@Suite struct VerifyLimitsTests {
    @Test func aZipBombIsRefusedWithoutInflatingIt() async throws {
        let project = try TestProject()
        let result = try await VerifyTests.exported(project)
        // One image of the real bundle replaced by 64 MiB of zeros, which deflate to about 64 KB.
        let zip = try #require(result.zip)
        let archive = try Archive(url: zip, accessMode: .update)
        try archive.remove(try #require(archive["products/images/PROD-002_v1.png"]))
        let size = 64 << 20
        try archive.addEntry(with: "products/images/PROD-002_v1.png", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { _, chunk in
            Data(count: chunk)
        }
        let report = try BundleVerifier.verify(zip)
        // Refused once (SHA256SUMS and the manifest both name it), before anything is inflated.
        #expect(report.problems.count == 1, "\(report.problems)")
        let bomb = try #require(report.problems.first)
        #expect(bomb.path == "images/PROD-002_v1.png" && bomb.message.contains("more than 200 to 1 (a zip bomb?)"), "\(bomb)")
        #expect(report.files == 7 && report.manifestEntries == 3)
    }

    @Test func aHugeSparseFileIsRefusedPastTheLimitAndHashedInPiecesUnderIt() async throws {
        let project = try TestProject()
        let result = try await VerifyTests.exported(project)
        let sparse = result.directory.appendingPathComponent("images/sparse.png")
        #expect(FileManager.default.createFile(atPath: sparse.path, contents: nil))
        let handle = try FileHandle(forWritingTo: sparse)
        try handle.truncate(atOffset: 48 << 20)
        try handle.close()
        let sums = result.directory.appendingPathComponent("SHA256SUMS")
        let zeros = SHA256Hex.digest([UInt8](repeating: 0, count: 48 << 20))
        try Data((try String(contentsOf: sums, encoding: .utf8) + "\(zeros)  images/sparse.png\n").utf8).write(to: sums)

        var small = VerifyLimits.standard
        small.maxFileBytes = 16 << 20
        let refused = try BundleVerifier.verify(result.directory, limits: small).problems
        #expect(refused.count == 1 && refused[0].path == "images/sparse.png", "\(refused)")
        #expect(refused.first?.message.contains("more than the 16 MiB verify reads of one file") == true)
        // Under the limit it is read a megabyte at a time, and its digest matches.
        #expect(try BundleVerifier.verify(result.directory).problems.isEmpty)
    }

    @Test func aManifestPastTheIndexLimitIsUnreadableNotLoaded() async throws {
        let project = try TestProject()
        let result = try await VerifyTests.exported(project)
        var limits = VerifyLimits.standard
        limits.maxIndexBytes = 64
        let problems = try BundleVerifier.verify(result.directory, limits: limits).problems
        #expect(problems.map(\.path) == ["SHA256SUMS", "SHA256SUMS"], "\(problems)")
        #expect(problems.first?.message.contains("more than") == true)
    }

    @Test func sha256sumsWithCRLFOrBinaryMarksVerifiesAsSha256sumDoes() async throws {
        let project = try TestProject()
        let result = try await VerifyTests.exported(project)
        let sums = result.directory.appendingPathComponent("SHA256SUMS")
        let lines = try String(contentsOf: sums, encoding: .utf8).split(separator: "\n")
        // CRLF line ends, and the binary-mode mark `sha256sum -b` writes on one line.
        var text = lines.map { $0 + "\r\n" }.joined()
        text = text.replacingOccurrences(of: "  manifest.json", with: " *manifest.json")
        try Data(text.utf8).write(to: sums)
        let report = try BundleVerifier.verify(result.directory)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.files == 7)
        #expect(ChecksumLine.parse(Substring(String(repeating: "a", count: 64) + "  x")) ?? ("", "") == (String(repeating: "a", count: 64), "x"))
        #expect(ChecksumLine.parse(Substring(String(repeating: "a", count: 64) + " -x")) == nil)
        #expect(ChecksumLine.parse(Substring(String(repeating: "g", count: 64) + "  x")) == nil)
    }
}
