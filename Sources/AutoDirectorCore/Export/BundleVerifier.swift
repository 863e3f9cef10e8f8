import Foundation
import ZIPFoundation

/// Checks an export bundle — a directory or its zip — against itself (SPEC §11): every file
/// against `SHA256SUMS`, and every manifest entry against its image file and `image_sha256`.
/// A bundle is untrusted input: a listed path that would leave the bundle (`..`, absolute) is a
/// problem, never a file to open, and zip entries are read without being extracted anywhere.
public enum BundleVerifier {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(TextSanitizer.visible(path, limit: 200)): \(message)" }
    }

    public struct Report: Sendable {
        public var files: Int
        public var manifestEntries: Int
        public var problems: [Problem]
    }

    public static func verify(_ url: URL, limits: VerifyLimits = .standard) throws -> Report {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw VerifyError(message: "\(TextSanitizer.visible(url.path, limit: 300)) does not exist; give an export directory or its zip")
        }
        let bundle: any BundleContents = isDirectory.boolValue ? try DirectoryContents(url, limits: limits) : try ZipContents(url, limits: limits)
        return check(bundle, limits: limits)
    }

    /// Files are hashed as they stream past, never held whole: only `SHA256SUMS` and
    /// `manifest.json`, which must be parsed, are read into memory (up to `maxIndexBytes`).
    static func check(_ bundle: any BundleContents, limits: VerifyLimits = .standard) -> Report {
        var problems = bundle.refused
        let present = Set(bundle.paths)
        // A file that cannot be read (a corrupt zip entry, a special file, one past a limit) is
        // one problem; the check goes on with the rest.
        func read(_ path: String) -> [UInt8]? {
            do { return try bundle.read(path, limit: limits.maxIndexBytes) } catch {
                problems.append(Problem(path: path, message: "unreadable (\(TextSanitizer.visible(String(describing: error), limit: 200)))"))
                return nil
            }
        }
        // Each file is hashed once, though SHA256SUMS and the manifest both name it; a PNG's
        // provenance is read as it streams past.
        var digests: [String: String?] = [:]
        var provenances: [String: PNGTextScanner.Finding] = [:]
        func digest(_ path: String) -> String? {
            if let known = digests[path] { return known }
            var scanner = path.lowercased().hasSuffix(".png") ? PNGTextScanner(keyword: ImageProvenance.keyword) : nil
            do {
                digests[path] = try bundle.digest(path, scanning: &scanner)
                provenances[path] = scanner?.finding
            } catch {
                problems.append(Problem(path: path, message: "unreadable (\(TextSanitizer.visible(String(describing: error), limit: 200)))"))
                digests[path] = .some(nil)
            }
            return digests[path] ?? nil
        }
        guard present.contains("SHA256SUMS"), let sums = read("SHA256SUMS") else {
            return Report(files: 0, manifestEntries: 0, problems: problems + [Problem(path: "SHA256SUMS", message: "missing: this is not an export bundle")])
        }
        var listed = Set<String>()
        // "\r\n" is one Character to Swift: split on both line ends.
        for (number, line) in String(decoding: sums, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            guard let (expected, path) = ChecksumLine.parse(line) else {
                problems.append(Problem(path: "SHA256SUMS", message: "line \(number + 1) is not `<sha256>  <path>`"))
                continue
            }
            guard BundlePath.isSafe(path) else {
                problems.append(Problem(path: path, message: "listed in SHA256SUMS with a path that leaves the bundle; not read"))
                continue
            }
            listed.insert(path)
            guard present.contains(path) else {
                problems.append(Problem(path: path, message: "listed in SHA256SUMS but missing"))
                continue
            }
            guard let actual = digest(path) else { continue }
            if actual != expected { problems.append(Problem(path: path, message: "SHA-256 is \(actual), SHA256SUMS says \(expected)")) }
        }
        for path in present.subtracting(listed).subtracting(["SHA256SUMS"]).sorted() {
            problems.append(Problem(path: path, message: "not listed in SHA256SUMS"))
        }
        var entries = 0
        if present.contains("manifest.json"), let manifestBytes = read("manifest.json") {
            do {
                let manifest = try JSONParser.parse(manifestBytes, maxDepth: JSONDepth.storedLimit)
                for entry in manifest["shots"]?.arrayValue ?? [] {
                    entries += 1
                    guard let file = entry["file"]?.stringValue else { continue }
                    guard BundlePath.isSafe(file) else {
                        problems.append(Problem(path: file, message: "named by manifest.json with a path that leaves the bundle; not read"))
                        continue
                    }
                    guard present.contains(file) else {
                        problems.append(Problem(path: file, message: "named by manifest.json but missing"))
                        continue
                    }
                    guard let actual = digest(file) else { continue }
                    if let expected = entry["image_sha256"]?.stringValue, actual != expected {
                        problems.append(Problem(path: file, message: "SHA-256 is \(actual), manifest.json says \(expected)"))
                    }
                    if let expected = entry["provenance_sha256"]?.stringValue, let problem = ProvenanceCheck.problem(provenances[file], expected: expected, entry: entry) {
                        problems.append(Problem(path: file, message: problem))
                    }
                }
            } catch let error as JSONParseError {
                problems.append(Problem(path: "manifest.json", message: "not valid JSON (\(error))"))
            } catch {
                problems.append(Problem(path: "manifest.json", message: "unreadable (\(error))"))
            }
        } else if !present.contains("manifest.json") {
            problems.append(Problem(path: "manifest.json", message: "missing"))
        }
        return Report(files: listed.count, manifestEntries: entries, problems: problems)
    }
}

/// One line of `SHA256SUMS` as `sha256sum -c` reads it: 64 hex digits, a space, a mode mark
/// (a space for text, `*` for binary) and the path; a line ending in CRLF (the file went
/// through Windows) is read without its CR.
enum ChecksumLine {
    static func parse(_ line: Substring) -> (sha256: String, path: String)? {
        var text = line
        if text.hasSuffix("\r") { text = text.dropLast() }
        let utf8 = Array(text.utf8)
        guard utf8.count > 66, utf8[64] == UInt8(ascii: " "), utf8[65] == UInt8(ascii: " ") || utf8[65] == UInt8(ascii: "*") else { return nil }
        let hex = utf8[..<64]
        guard hex.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }) else { return nil }
        return (String(decoding: hex, as: UTF8.self).lowercased(), String(decoding: utf8[66...], as: UTF8.self))
    }
}

/// Why a bundle could not be checked at all (it is missing, or no zip).
public struct VerifyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "Verify failed: \(message)" + (message.hasSuffix(".") ? "" : ".") }
}

/// Paths as a bundle lists them: relative, `/`-separated, never leaving the bundle.
enum BundlePath {
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.unicodeScalars.contains(where: TextSanitizer.isControl) else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}

/// The files of a bundle, by their paths relative to its root.
protocol BundleContents {
    var paths: [String] { get }
    /// Entries refused as they were listed (a zip entry that would leave the bundle).
    var refused: [BundleVerifier.Problem] { get }
    /// The bytes at `path` (nil when there is no such file); more than `limit` is an error.
    func read(_ path: String, limit: Int) throws -> [UInt8]?
    /// The SHA-256 of the file at `path`, read in pieces (nil when there is no such file),
    /// each piece also handed to `scanner` when there is one.
    func digest(_ path: String, scanning scanner: inout PNGTextScanner?) throws -> String?
}

/// A file of a bundle that will not be read whole.
struct BundleFileError: Error, CustomStringConvertible {
    var description: String
}

/// A bundle directory; links are not followed out of it.
struct DirectoryContents: BundleContents {
    let root: URL
    let paths: [String]
    let refused: [BundleVerifier.Problem]
    let limits: VerifyLimits

    init(_ root: URL, limits: VerifyLimits) throws {
        self.root = root
        self.limits = limits
        var found: [String] = []
        var refused: [BundleVerifier.Problem] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey])
        let prefix = root.standardizedFileURL.path + "/"
        while let url = enumerator?.nextObject() as? URL {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            let relative = String(path.dropFirst(prefix.count))
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: found.append(relative)
            case S_IFDIR: continue
            default: refused.append(.init(path: relative, message: "not a regular file (a link or a special file); not read"))
            }
        }
        paths = found.sorted()
        self.refused = refused
    }

    func read(_ path: String, limit: Int) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        let found = try stream(path, limit: Int64(limit)) { bytes.append(contentsOf: $0) }
        return found ? bytes : nil
    }

    func digest(_ path: String, scanning scanner: inout PNGTextScanner?) throws -> String? {
        var hasher = StreamingSHA256()
        return try stream(path, limit: limits.maxFileBytes) { bytes in
            hasher.update(bytes)
            scanner?.feed(bytes)
        } ? hasher.finalizeHex() : nil
    }

    /// Hands the file's bytes to `body` a megabyte at a time; false when there is no such file.
    /// Opened without following a link, non-blocking (a FIFO planted there is refused, not
    /// waited on), and refused past `limit` bytes whatever its size said when it was opened.
    private func stream(_ path: String, limit: Int64, _ body: ([UInt8]) -> Void) throws -> Bool {
        guard BundlePath.isSafe(path) else { return false }
        let url = try ProjectPaths.inside(root, path)
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ENOENT { return false }
            throw BundleFileError(description: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw BundleFileError(description: "not a regular file") }
        guard Int64(info.st_size) <= limit else { throw VerifyLimits.tooLarge(Int64(info.st_size), limit) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw BundleFileError(description: String(cString: strerror(errno)))
            }
            if count == 0 { return true }
            total += Int64(count)
            guard total <= limit else { throw VerifyLimits.tooLarge(total, limit) }
            body(Array(buffer[..<count]))
        }
    }
}

/// A bundle's zip, read in place. Entries sit under one folder (`<batch>/`), which is the root.
/// Every entry is streamed through the decompressor with its size and compression ratio
/// bounded, so a zip bomb costs a refusal, not gigabytes of memory.
struct ZipContents: BundleContents {
    let archive: Archive
    let entries: [String: Entry]
    let paths: [String]
    let refused: [BundleVerifier.Problem]
    let limits: VerifyLimits

    init(_ url: URL, limits: VerifyLimits) throws {
        self.limits = limits
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw VerifyError(message: "\(TextSanitizer.visible(url.path, limit: 300)) is neither a directory nor a readable zip (\(FileErrorText.reason(error)))")
        }
        var files: [(String, Entry)] = []
        var refused: [BundleVerifier.Problem] = []
        for entry in archive where entry.type == .file {
            if BundlePath.isSafe(entry.path) { files.append((entry.path, entry)) } else {
                refused.append(.init(path: entry.path, message: "a zip entry whose path leaves the bundle; refused"))
            }
        }
        let roots = Set(files.map { $0.0.split(separator: "/").first.map(String.init) ?? "" })
        let strip = roots.count == 1 && files.allSatisfy { $0.0.contains("/") } ? roots.first! + "/" : ""
        var byPath: [String: Entry] = [:]
        for (path, entry) in files {
            let relative = String(path.dropFirst(strip.count))
            if byPath[relative] != nil {
                refused.append(.init(path: relative, message: "in the zip more than once; only the first is checked"))
                continue
            }
            byPath[relative] = entry
        }
        entries = byPath
        paths = byPath.keys.sorted()
        self.refused = refused
    }

    func read(_ path: String, limit: Int) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        return try stream(path, limit: Int64(limit)) { bytes.append(contentsOf: $0) } ? bytes : nil
    }

    func digest(_ path: String, scanning scanner: inout PNGTextScanner?) throws -> String? {
        var hasher = StreamingSHA256()
        return try stream(path, limit: limits.maxFileBytes) { bytes in
            hasher.update(bytes)
            scanner?.feed(bytes)
        } ? hasher.finalizeHex() : nil
    }

    private func stream(_ path: String, limit: Int64, _ body: (Data) -> Void) throws -> Bool {
        guard let entry = entries[path] else { return false }
        // The declared sizes are untrusted: they refuse early, and what is inflated is counted
        // against them, the limit and the ratio as it arrives.
        let declared = Int64(clamping: entry.uncompressedSize)
        let compressed = max(Int64(clamping: entry.compressedSize), 1)
        guard declared <= limit else { throw VerifyLimits.tooLarge(declared, limit) }
        let ratioBound = limits.ratioBound(compressed: compressed)
        guard declared <= ratioBound else { throw limits.tooCompressed(declared, compressed) }
        var total: Int64 = 0
        _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data in
            total += Int64(data.count)
            guard total <= declared else { throw BundleFileError(description: "the entry holds more than its declared \(declared) bytes") }
            body(data)
        }
        return true
    }
}
