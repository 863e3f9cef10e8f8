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

    public static func verify(_ url: URL) throws -> Report {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ExportError(message: "\(TextSanitizer.visible(url.path, limit: 300)) does not exist; give an export directory or its zip")
        }
        let bundle: any BundleContents = isDirectory.boolValue ? try DirectoryContents(url) : try ZipContents(url)
        return try check(bundle)
    }

    static func check(_ bundle: any BundleContents) throws -> Report {
        var problems = bundle.refused
        let present = Set(bundle.paths)
        // A file that cannot be read (a corrupt zip entry, a special file) is one problem; the
        // check goes on with the rest.
        func read(_ path: String) -> [UInt8]? {
            do { return try bundle.read(path) } catch {
                problems.append(Problem(path: path, message: "unreadable (\(TextSanitizer.visible(String(describing: error), limit: 200)))"))
                return nil
            }
        }
        guard present.contains("SHA256SUMS"), let sums = read("SHA256SUMS") else {
            return Report(files: 0, manifestEntries: 0, problems: problems + [Problem(path: "SHA256SUMS", message: "missing: this is not an export bundle")])
        }
        var listed = Set<String>()
        for (number, line) in String(decoding: sums, as: UTF8.self).split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].count == 64, parts[1].hasPrefix(" ") else {
                problems.append(Problem(path: "SHA256SUMS", message: "line \(number + 1) is not `<sha256>  <path>`"))
                continue
            }
            let path = String(parts[1].dropFirst())
            guard BundlePath.isSafe(path) else {
                problems.append(Problem(path: path, message: "listed in SHA256SUMS with a path that leaves the bundle; not read"))
                continue
            }
            listed.insert(path)
            guard present.contains(path) else {
                problems.append(Problem(path: path, message: "listed in SHA256SUMS but missing"))
                continue
            }
            guard let bytes = read(path) else { continue }
            let actual = SHA256Hex.digest(bytes)
            if actual != parts[0] { problems.append(Problem(path: path, message: "SHA-256 is \(actual), SHA256SUMS says \(parts[0])")) }
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
                    guard let bytes = read(file) else { continue }
                    let actual = SHA256Hex.digest(bytes)
                    if let expected = entry["image_sha256"]?.stringValue, actual != expected {
                        problems.append(Problem(path: file, message: "SHA-256 is \(actual), manifest.json says \(expected)"))
                    }
                }
            } catch let error as JSONParseError {
                problems.append(Problem(path: "manifest.json", message: "not valid JSON (\(error))"))
            }
        } else if !present.contains("manifest.json") {
            problems.append(Problem(path: "manifest.json", message: "missing"))
        }
        return Report(files: listed.count, manifestEntries: entries, problems: problems)
    }
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
    /// The bytes at `path`, or nil when there is no such file.
    func read(_ path: String) throws -> [UInt8]?
}

/// A bundle directory; links are not followed out of it.
struct DirectoryContents: BundleContents {
    let root: URL
    let paths: [String]
    let refused: [BundleVerifier.Problem]

    init(_ root: URL) throws {
        self.root = root
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

    func read(_ path: String) throws -> [UInt8]? {
        guard BundlePath.isSafe(path) else { return nil }
        let url = try ProjectPaths.inside(root, path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return [UInt8](try FileInput.read(url))
    }
}

/// A bundle's zip, read in place. Entries sit under one folder (`<batch>/`), which is the root.
struct ZipContents: BundleContents {
    let archive: Archive
    let entries: [String: Entry]
    let paths: [String]
    let refused: [BundleVerifier.Problem]

    init(_ url: URL) throws {
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw ExportError(message: "\(TextSanitizer.visible(url.path, limit: 300)) is neither a directory nor a readable zip (\(FileErrorText.reason(error)))")
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

    func read(_ path: String) throws -> [UInt8]? {
        guard let entry = entries[path] else { return nil }
        // The declared size is untrusted: it only bounds what is read, never what is reserved.
        let declared = entry.uncompressedSize
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(declared, 1 << 20)))
        _ = try archive.extract(entry, skipCRC32: false) { data in
            guard UInt64(bytes.count + data.count) <= declared else {
                throw ExportError(message: "the entry holds more than its declared \(declared) bytes")
            }
            bytes.append(contentsOf: data)
        }
        return bytes
    }
}
