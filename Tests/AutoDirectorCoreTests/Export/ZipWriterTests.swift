import Foundation
import Testing
import ZIPFoundation
@testable import AutoDirectorCore

/// The export's one-pass zip writer, read back by an independent reader (ZIPFoundation).
@Suite struct ZipWriterTests {
    static func write(_ url: URL, _ entries: [(String, [UInt8], deflate: Bool)]) throws {
        let writer = try ZipWriter(creating: url.path)
        for (name, bytes, deflate) in entries { try writer.add(name, bytes, deflate: deflate) }
        try writer.finish()
    }

    static func contents(_ url: URL) throws -> [(name: String, bytes: [UInt8], deflated: Bool)] {
        let archive = try Archive(url: url, accessMode: .read)
        return try archive.map { entry in
            var bytes: [UInt8] = []
            // Extraction checks each entry's CRC-32.
            _ = try archive.extract(entry) { bytes += $0 }
            return (entry.path, bytes, entry.isCompressed)
        }
    }

    @Test func entriesReadBackInOrderStoredOrDeflated() throws {
        let project = try TestProject()
        let url = project.root.appendingPathComponent("a.zip")
        let text = Array(String(repeating: "manifest line\n", count: 500).utf8)
        let noise = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        try Self.write(url, [("b/images/x.png", noise, deflate: false), ("b/manifest.json", text, deflate: true), ("b/empty.txt", [], deflate: true), ("b/ü.md", [1], deflate: true)])
        let read = try Self.contents(url)
        #expect(read.map(\.name) == ["b/images/x.png", "b/manifest.json", "b/empty.txt", "b/ü.md"])
        #expect(read[0].bytes == noise && !read[0].deflated)
        #expect(read[1].bytes == text && read[1].deflated, "text is deflated")
        #expect(read[2].bytes.isEmpty && read[3].bytes == [1])
        #expect(!read[3].deflated, "deflate that does not shrink an entry is not kept")
    }

    @Test func theSameEntriesGiveTheSameBytes() throws {
        let project = try TestProject()
        let entries: [(String, [UInt8], deflate: Bool)] = [("r/a.txt", Array("hello hello hello".utf8), deflate: true), ("r/b.png", [0, 1, 2, 3], deflate: false)]
        let (first, second) = (project.root.appendingPathComponent("1.zip"), project.root.appendingPathComponent("2.zip"))
        try Self.write(first, entries)
        try Self.write(second, entries)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    }

    @Test func moreThan65535EntriesUseZip64Records() throws {
        let project = try TestProject()
        let url = project.root.appendingPathComponent("many.zip")
        let writer = try ZipWriter(creating: url.path)
        for index in 0..<70_000 { try writer.add("m/\(index).txt", [UInt8(index % 251)], deflate: false) }
        try writer.finish()
        let bytes = [UInt8](try Data(contentsOf: url))
        // The ZIP64 end record and its locator sit before the classic end record, whose counts say "see ZIP64".
        let end = bytes.count - 22
        #expect(bytes[end..<end + 4] == [0x50, 0x4B, 0x05, 0x06])
        #expect(bytes[end + 8..<end + 12] == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(bytes[end - 20..<end - 16] == [0x50, 0x4B, 0x06, 0x07])
        let archive = try Archive(url: url, accessMode: .read)
        var count = 0
        var last: Entry?
        for entry in archive {
            count += 1
            last = entry
        }
        #expect(count == 70_000)
        let entry = try #require(last)
        #expect(entry.path == "m/69999.txt")
        var data: [UInt8] = []
        _ = try archive.extract(entry) { data += $0 }
        #expect(data == [UInt8(69_999 % 251)])
    }

    @Test func namesThatWouldEscapeAreRefused() throws {
        let project = try TestProject()
        let writer = try ZipWriter(creating: project.root.appendingPathComponent("x.zip").path)
        for name in ["", "/etc/passwd", "a/../../b", "a//b", "./a", "a\\b", "a/\u{0}b", "a/"] {
            #expect(throws: ZipWriterError.self, "\(name.debugDescription)") { try writer.add(name, [1], deflate: false) }
        }
    }

    @Test func anExistingFileOrLinkIsNeverWrittenThrough() throws {
        let project = try TestProject()
        let target = try project.file("precious", "keep me")
        let link = project.root.appendingPathComponent("link.zip")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(throws: ZipWriterError.self) { try ZipWriter(creating: link.path) }
        #expect(throws: ZipWriterError.self) { try ZipWriter(creating: target.path) }
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me")
    }
}
