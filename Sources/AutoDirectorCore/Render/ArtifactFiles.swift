import Foundation
import Synchronization

/// Image files of a project, content-addressed by their SHA-256: identical images are stored
/// once, and a path is built only from a hex digest, never from user data. The database names an
/// image `artifacts/XX/DIGEST.EXT`; the files live under `PROJECT/artifacts/`, or where every
/// machine of a shared project finds them (`AUTODIRECTOR_ARTIFACTS`, SPEC §16): a shared
/// directory, laid out the same way without the `artifacts/` prefix, or S3-compatible object
/// storage, as the objects `PREFIX/XX/DIGEST.EXT` (see `S3Configuration`).
///
/// A file is written to a temporary name in its final directory, flushed to disk, renamed and its
/// directory flushed (and a directory it had to create, in its parent): it is durable under its
/// final name before the row that names it is written, and a crash never leaves a half-written
/// image there. An object is stored with one PUT (S3 checks the payload's SHA-256, which is the
/// image's) unless a HEAD finds it there already, before the row too.
///
/// `read` checks the bytes against the digest in the name (names that are not a 64-digit hex
/// digest are not checked; the store never makes one), so a damaged or replaced image is
/// reported, never shown; an export reads with `verify: false` and checks the digest itself as it
/// copies.
///
/// The API is synchronous for the TUI, export and `serve`; S3 requests then run to completion on
/// threads outside the cooperative pool (`Blocking.await`). Render workers store through the
/// `async` overload, which awaits them directly.
public final class ArtifactFiles: Sendable {
    public let projectDirectory: URL
    /// The shared directory images are kept in instead of `PROJECT/artifacts/`, if any.
    public let sharedDirectory: URL?
    /// The object storage images are kept in instead of `PROJECT/artifacts/`, if any.
    public let objects: S3ObjectClient?
    /// Names known to be stored (on disk or in the bucket), so that storing the same image again
    /// costs no system call and no request.
    private let known = Mutex<Set<String>>([])
    /// Directories checked to lie inside the project (`ProjectPaths`): each is checked once.
    private let checkedDirectories = Mutex<Set<String>>([])

    public init(projectDirectory: URL, sharedDirectory: URL? = nil) {
        self.projectDirectory = projectDirectory
        self.sharedDirectory = sharedDirectory
        objects = nil
    }

    /// Images where `location` says (`ArtifactsDirectory.chosen`), else under `PROJECT/artifacts/`.
    public init(projectDirectory: URL, location: ArtifactsLocation?) {
        self.projectDirectory = projectDirectory
        switch location {
        case .directory(let url):
            sharedDirectory = url
            objects = nil
        case .s3(let configuration):
            sharedDirectory = nil
            objects = S3ObjectClient(configuration: configuration)
        case nil:
            sharedDirectory = nil
            objects = nil
        }
    }

    /// Whether every machine of a shared project finds the images here (not only this one).
    public var isShared: Bool { sharedDirectory != nil || objects != nil }

    /// Where images are kept, for people: `s3://bucket/prefix (endpoint …)`, the shared
    /// directory or `PROJECT/artifacts`.
    public var location: String {
        if let objects { return objects.configuration.description }
        return (sharedDirectory ?? projectDirectory.appendingPathComponent("artifacts")).path
    }

    /// The directory paths are checked against, and the path inside it, for a stored name.
    private func place(_ relative: String) -> (base: URL, inside: String) {
        guard let sharedDirectory else { return (projectDirectory, relative) }
        return (sharedDirectory, String(relative.dropFirst("artifacts/".count)))
    }

    /// Stores a rendered image under the extension its MIME type calls for.
    public func store(_ image: RenderedImage) throws -> (path: String, sha256: String) {
        try store(image.bytes, fileExtension: Self.fileExtension(forMIME: image.mime), sha256: image.sha256)
    }

    /// `store(_:)` for async callers (render workers): object storage is awaited, not blocked on.
    public func store(_ image: RenderedImage) async throws -> (path: String, sha256: String) {
        let name = try Self.name(image.bytes, fileExtension: Self.fileExtension(forMIME: image.mime), sha256: image.sha256)
        if known.withLock({ $0.contains(name.relative) }) { return (name.relative, name.digest) }
        if let objects {
            try await storeObject(image.bytes, name, in: objects)
        } else {
            try storeFile(image.bytes, name)
        }
        known.withLock { _ = $0.insert(name.relative) }
        return (name.relative, name.digest)
    }

    /// The file extension images of `mime` are stored and exported with.
    public static func fileExtension(forMIME mime: String) -> String {
        switch mime {
        case "image/jpeg": return "jpg"
        case "image/webp": return "webp"
        default: return "png"
        }
    }

    /// Stores `bytes` and returns the path relative to the project and the image SHA-256;
    /// `sha256`, when given, must be the digest of `bytes` (it saves hashing them again).
    public func store(_ bytes: [UInt8], fileExtension: String, sha256: String? = nil) throws -> (path: String, sha256: String) {
        let name = try Self.name(bytes, fileExtension: fileExtension, sha256: sha256)
        if known.withLock({ $0.contains(name.relative) }) { return (name.relative, name.digest) }
        if let objects {
            try Blocking.await { try await self.storeObject(bytes, name, in: objects) }
        } else {
            try storeFile(bytes, name)
        }
        known.withLock { _ = $0.insert(name.relative) }
        return (name.relative, name.digest)
    }

    /// An image's stored name: `artifacts/XX/DIGEST.EXT`, and its digest.
    private struct Name {
        var relative: String
        var digest: String
        var fileExtension: String
        /// The name inside a shared directory or prefix: `XX/DIGEST.EXT`.
        var inside: String { String(relative.dropFirst("artifacts/".count)) }
    }

    private static func name(_ bytes: [UInt8], fileExtension: String, sha256: String?) throws -> Name {
        guard !fileExtension.isEmpty, fileExtension.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else {
            throw ArtifactError(message: "invalid file extension \(TextSanitizer.quoted(fileExtension))")
        }
        let digest = sha256 ?? SHA256Hex.digest(bytes)
        return Name(relative: "artifacts/\(digest.prefix(2))/\(digest).\(fileExtension)", digest: digest, fileExtension: fileExtension)
    }

    private func storeFile(_ bytes: [UInt8], _ name: Name) throws {
        let (base, inside) = place(name.relative)
        let url = base.appendingPathComponent(inside)
        try checkInside((name.relative as NSString).deletingLastPathComponent)
        if FileManager.default.fileExists(atPath: url.path) { return }
        let directory = url.deletingLastPathComponent()
        // The directories this creates (`XX/`, and `artifacts/` for the first image), outermost
        // first: each new entry is flushed in its parent too, or a crash could lose the directory
        // and the image in it after its row was written.
        var created: [URL] = []
        var probe = directory
        while probe.path.count > base.path.count, !FileManager.default.fileExists(atPath: probe.path) {
            created.insert(probe, at: 0)
            probe = probe.deletingLastPathComponent()
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let temporary = directory.appendingPathComponent(".\(name.digest).\(UUID().uuidString).tmp")
            do { try DurableFile.write(bytes, to: temporary.path) } catch {
                // A full disk (ENOSPC) leaves part of the image written: none of it may stay.
                unlink(temporary.path)
                throw error
            }
            if rename(temporary.path, url.path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                throw ArtifactError(message: "cannot move the image into place at \(url.path)")
            }
            try DurableFile.syncDirectory(directory.path)
            for new in created { try DurableFile.syncDirectory(new.deletingLastPathComponent().path) }
        } catch let error as ArtifactError {
            throw error
        } catch {
            throw ArtifactError(message: "cannot write the image under \(directory.path): \(FileErrorText.reason(error))")
        }
    }

    /// HEAD, then PUT when the object is missing, or has another size than the image (a damaged
    /// object is replaced). A PUT of an object that is there is harmless: a key names its bytes.
    private func storeObject(_ bytes: [UInt8], _ name: Name, in objects: S3ObjectClient) async throws {
        let key = objects.configuration.key(name.inside)
        if try await objects.head(key) == bytes.count { return }
        try await objects.put(key, bytes: bytes, sha256: name.digest, contentType: Self.mime(forExtension: name.fileExtension))
    }

    private static func mime(forExtension fileExtension: String) -> String {
        switch fileExtension {
        case "png": return "image/png"
        case "jpg": return "image/jpeg"
        case "webp": return "image/webp"
        default: return "application/octet-stream"
        }
    }

    /// The bytes of a stored image. Its directory is checked to lie inside the project once;
    /// the file itself is opened without following a link (the store never makes one), which
    /// keeps an export of 10,000 images to four system calls each.
    /// `verify: false` for a caller that checks the digest itself as it copies (an export).
    public func read(_ relativePath: String, verify: Bool = true) throws -> [UInt8] {
        guard relativePath.hasPrefix("artifacts/"), !relativePath.contains(".."), !relativePath.hasSuffix("/") else {
            throw ArtifactError(message: "refusing to read outside the artifacts directory: \(TextSanitizer.quoted(relativePath))")
        }
        if let objects { return try readObject(relativePath, verify: verify, from: objects) }
        try checkInside((relativePath as NSString).deletingLastPathComponent, doing: "cannot read the image")
        let (base, inside) = place(relativePath)
        let path = base.path + "/" + inside
        // Non-blocking: a FIFO planted here would otherwise hang the open before fstat refuses it.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw FileInputError(path: path, reason: Self.reason(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileInputError(path: path, reason: Self.reason(errno)) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw FileInputError(path: path, reason: "not a regular file") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileInputError(path: path, reason: Self.reason(errno))
            }
            // The file shrank while it was read: what was read is not the image.
            if count == 0 { throw FileInputError(path: path, reason: "the file changed while it was read") }
            done += count
        }
        if verify { try Self.check(bytes, named: relativePath, at: path) }
        return bytes
    }

    /// An object's bytes, checked like a file's. A missing object is a `FileInputError` as a
    /// missing file is; S3 refusing or unreachable is an `S3Error`.
    private func readObject(_ relativePath: String, verify: Bool, from objects: S3ObjectClient) throws -> [UInt8] {
        let key = objects.configuration.key(String(relativePath.dropFirst("artifacts/".count)))
        let shown = "s3://\(objects.configuration.bucket)/\(key)"
        guard let bytes = try Blocking.await({ try await objects.get(key) }) else {
            throw FileInputError(path: shown, reason: "no such object in the bucket")
        }
        if verify { try Self.check(bytes, named: relativePath, at: shown) }
        return bytes
    }

    /// The name is the digest of what was stored: anything else is not that image. A name that
    /// is not a 64-digit hex digest (the store never makes one) is not checked.
    private static func check(_ bytes: [UInt8], named relativePath: String, at shown: String) throws {
        let name = ((relativePath as NSString).lastPathComponent as NSString).deletingPathExtension
        if name.count == 64, name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
            SHA256Hex.digest(bytes) != name
        {
            throw FileInputError(path: shown, reason: "its content does not match its SHA-256 name (damaged or replaced)")
        }
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case ELOOP: return "it is a symbolic link; images in the artifacts directory must be plain files"
        case EACCES: return "permission denied"
        default: return String(cString: strerror(code))
        }
    }

    /// Checks that a stored name's directory lies inside the project (or the shared directory)
    /// with no link leading out.
    private func checkInside(_ directory: String, doing what: String = "cannot store the image") throws {
        if checkedDirectories.withLock({ $0.contains(directory) }) { return }
        let (base, inside) = place(directory)
        do {
            _ = try ProjectPaths.inside(base, inside, directory: sharedDirectory == nil ? .project : .sharedImages)
        } catch let error as ProjectPathError {
            throw ArtifactError(message: "\(what): \(error.message)")
        }
        checkedDirectories.withLock { _ = $0.insert(directory) }
    }
}

public struct ArtifactError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "Artifact: \(message)" + (message.hasSuffix(".") ? "" : ".") }
}
