import CSystemCalls
import Foundation
import Synchronization

/// Writes an export bundle one file at a time — to a staging directory and, with a zip, to a
/// staging zip — hashing each file as it goes, so memory holds one file whatever the bundle's
/// size. `finish` adds `SHA256SUMS` (the digests of what was written, in writing order) and
/// renames both into place; until then, and after any failure, nothing of the bundle is visible
/// under its final names.
///
/// The zip is written on a queue of its own while the next files go to the directory (the
/// kernel's file creation is most of an export's time), with at most a few files in flight;
/// its entries keep the order they were added in, so the bytes stay the same.
///
/// Files are not flushed to the disk one by one (swift-foundation's `Data.write` calls `fsync`
/// for each: 10,000 journal commits for a 10k export); the bundle is flushed once, before it is
/// moved into place.
final class BundleWriter {
    private let target: URL
    private let zipTarget: URL?
    private let root: String
    private let staging: URL
    private let stagingZip: URL?
    private let token: String
    private let zip: ZipSink?
    private let zipQueue = DispatchQueue(label: "autodirector.export.zip")
    /// Files handed to the zip queue and not yet written: bounds the memory they hold.
    private let inFlight = DispatchSemaphore(value: 8)
    /// The directory's files are created on two queues, taking turns: creating a file is the
    /// kernel's work (choosing an inode), and two cores do it in about half the time.
    private let fileQueues = [DispatchQueue(label: "autodirector.export.files.0"), DispatchQueue(label: "autodirector.export.files.1")]
    private let filesInFlight = DispatchSemaphore(value: 16)
    private let filesWritten = DispatchGroup()
    private let fileFailure = FirstFailure()
    private var filesAdded = 0
    private var sums: [String] = []
    private var finished = false
    private(set) var bytesWritten = 0

    init(directory target: URL, zip zipTarget: URL?, root: String) throws {
        self.target = target
        self.zipTarget = zipTarget
        self.root = root
        let token = UUID().uuidString
        self.token = token
        staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).export-\(token)")
        stagingZip = zipTarget.map { $0.deletingLastPathComponent().appendingPathComponent(".\($0.lastPathComponent).export-\(token)") }
        Self.removeLeftovers(of: [target] + (zipTarget.map { [$0] } ?? []))
        do {
            try FileManager.default.createDirectory(at: staging.appendingPathComponent("images"), withIntermediateDirectories: true)
            zip = try stagingZip.map { ZipSink(try ZipWriter(creating: $0.path), root: root) }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw ExportError(message: "cannot write in \(TextSanitizer.visible(target.deletingLastPathComponent().path, limit: 300)): \(FileErrorText.reason(error))")
        }
    }

    deinit {
        // The queues are done with the staging files before they are removed.
        filesWritten.wait()
        zipQueue.sync { zip?.abandon() }
        guard !finished else { return }
        try? FileManager.default.removeItem(at: staging)
        if let stagingZip { try? FileManager.default.removeItem(at: stagingZip) }
    }

    /// Adds one file and returns its SHA-256: `compressed` contents (PNG, JPEG, WebP) are
    /// stored in the zip as they are, anything else is deflated.
    @discardableResult
    func add(_ path: String, _ bytes: [UInt8], compressed: Bool = false) throws -> String {
        // A failure of the zip queue stops the export at the next file, without waiting for it.
        if let failure = zip?.failure { throw failure }
        if let failure = fileFailure.error { throw failure }
        if let zip {
            inFlight.wait()
            zipQueue.async { [inFlight] in
                defer { inFlight.signal() }
                zip.add(path, bytes, compressed: compressed)
            }
        }
        // A path string, not `URL.appendingPathComponent`, which asks the file system whether
        // the name is a directory.
        let file = staging.path + "/" + path
        filesInFlight.wait()
        filesWritten.enter()
        fileQueues[filesAdded % fileQueues.count].async { [filesInFlight, filesWritten, fileFailure] in
            defer {
                filesInFlight.signal()
                filesWritten.leave()
            }
            guard fileFailure.error == nil else { return }
            do { try Self.create(file, bytes) } catch {
                fileFailure.keep(ExportError(message: "cannot write \(TextSanitizer.visible(path, limit: 200)) of the bundle: \(error)"))
            }
        }
        filesAdded += 1
        let digest = SHA256Hex.digest(bytes)
        sums.append("\(digest)  \(path)\n")
        bytesWritten += bytes.count
        return digest
    }

    /// Adds `SHA256SUMS` and puts the directory (and the zip) in place of any earlier export.
    func finish() throws {
        try add("SHA256SUMS", Array(sums.joined().utf8))
        filesWritten.wait()
        if let failure = fileFailure.error { throw failure }
        // Every entry written and the archive closed (flushed) before it is moved into place.
        if let failure = zipQueue.sync(execute: { () -> (any Error)? in
            zip?.finish()
            return zip?.failure
        }) { throw failure }
        try flushToDisk()
        // The earlier export is moved aside, not deleted, until both new parts are in place: a
        // failure in between puts it back, so the result is all of the new export or the old one.
        let fileManager = FileManager.default
        var moves: [(from: URL, to: URL)] = []
        var asides: [(original: URL, aside: URL)] = []
        for (final, staged) in [(target, staging)] + (zipTarget.flatMap { zip in stagingZip.map { [(zip, $0)] } } ?? []) {
            if ProjectPaths.exists(final.path) {
                asides.append((final, final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).old-\(token)")))
            }
            moves.append((staged, final))
        }
        var done: [(from: URL, to: URL)] = []
        do {
            for (original, aside) in asides {
                try fileManager.moveItem(at: original, to: aside)
                done.append((original, aside))
            }
            for (from, to) in moves {
                try fileManager.moveItem(at: from, to: to)
                done.append((from, to))
            }
        } catch {
            for (from, to) in done.reversed() { try? fileManager.moveItem(at: to, to: from) }
            throw ExportError(message: "cannot move the bundle into place at \(TextSanitizer.visible(target.path, limit: 300)): \(FileErrorText.reason(error)); the earlier export is as it was")
        }
        finished = true
        for (_, aside) in asides { try? fileManager.removeItem(at: aside) }
    }

    /// A new file with `bytes` (never through a symbolic link; the staging directory is new).
    private static func create(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(code: errno) }
        defer { close(descriptor) }
        if let code = writeAll(descriptor, bytes) { throw FileWriteError(code: code) }
    }

    /// Flushes the staged bundle to the disk in one go, so that once it is in place a power
    /// failure cannot leave it with empty files: on Linux `syncfs` of its file system (one
    /// journal commit for every file), elsewhere `sync`.
    private func flushToDisk() throws {
        #if os(Linux)
        let descriptor = open(staging.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ExportError(message: "cannot open the staged bundle: \(FileWriteError(code: errno))") }
        defer { close(descriptor) }
        guard csys_syncfs(descriptor) == 0 else { throw ExportError(message: "cannot flush the bundle to the disk: \(FileWriteError(code: errno))") }
        #else
        sync()
        #endif
    }

    /// What an export that was killed left beside `targets`: staging copies and moved-aside
    /// earlier exports (hidden names with a token). The earlier export is put back if it is
    /// missing; the rest is removed.
    private static func removeLeftovers(of targets: [URL]) {
        let fileManager = FileManager.default
        for target in targets {
            let directory = target.deletingLastPathComponent()
            guard let names = try? fileManager.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names where name.hasPrefix(".\(target.lastPathComponent).") {
                let url = directory.appendingPathComponent(name)
                let rest = name.dropFirst(target.lastPathComponent.count + 2)
                if rest.hasPrefix("old-"), !ProjectPaths.exists(target.path) {
                    try? fileManager.moveItem(at: url, to: target)
                } else if rest.hasPrefix("old-") || rest.hasPrefix("export-") {
                    try? fileManager.removeItem(at: url)
                }
            }
        }
    }
}

/// The staging zip, written on the writer's zip queue: entries in the order they arrive, the
/// first failure kept for the writer to report. The writer sits behind a lock only that queue
/// takes (so sharing the sink is safe by construction, not by convention), and the failure
/// behind one of its own, so the thread making files reads it without waiting for an entry.
private final class ZipSink: Sendable {
    private let writer: Mutex<ZipWriter?>
    private let firstFailure = Mutex<(any Error)?>(nil)
    private let root: String

    /// Readable from any thread.
    var failure: (any Error)? { firstFailure.withLock { $0 } }

    init(_ writer: sending ZipWriter, root: String) {
        self.writer = Mutex(writer)
        self.root = root
    }

    func add(_ path: String, _ bytes: [UInt8], compressed: Bool) {
        guard failure == nil else { return }
        let name = "\(root)/\(path)"
        do {
            try writer.withLock { try $0?.add(name, bytes, deflate: !compressed) }
        } catch {
            fail(ExportError(message: "cannot write \(TextSanitizer.visible(path, limit: 200)) into the zip: \(error)"))
        }
    }

    /// Writes the central directory and closes the file.
    func finish() {
        guard failure == nil else { return }
        do {
            try writer.withLock { writer in
                defer { writer = nil }
                try writer?.finish()
            }
        } catch {
            fail(ExportError(message: "cannot finish the zip: \(error)"))
        }
    }

    /// Closes the file as it is (the export failed; the staging zip is removed).
    func abandon() { writer.withLock { $0 = nil } }

    private func fail(_ failure: ExportError) {
        firstFailure.withLock { $0 = $0 ?? failure }
    }
}

/// The first failure of work done on other queues, for the writer to report.
private final class FirstFailure: Sendable {
    private let first = Mutex<ExportError?>(nil)

    var error: ExportError? { first.withLock { $0 } }

    func keep(_ error: ExportError) { first.withLock { $0 = $0 ?? error } }
}

/// A system call's failure writing a bundle file, as strerror words it.
struct FileWriteError: Error, CustomStringConvertible {
    var code: Int32
    var description: String { String(cString: strerror(code)) }
}
