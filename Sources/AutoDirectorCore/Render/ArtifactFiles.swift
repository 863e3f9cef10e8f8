import Foundation
import Synchronization

/// Image files of a project, content-addressed by their SHA-256: identical images are stored
/// once, and a path is built only from a hex digest, never from user data. The database names an
/// image `artifacts/XX/DIGEST.EXT`; the files live under `PROJECT/artifacts/`, or in a shared
/// directory every machine of a shared project mounts (`AUTODIRECTOR_ARTIFACTS`, SPEC §16), laid
/// out the same way without the `artifacts/` prefix.
///
/// A file is written to a temporary name in its final directory, flushed to disk, renamed and its
/// directory flushed: it is durable under its final name before the row that names it is written,
/// and a crash never leaves a half-written image there. Every read checks the bytes against the
/// digest in the name, so a damaged or replaced file is reported, never shown or exported.
public final class ArtifactFiles: Sendable {
    public let projectDirectory: URL
    /// The shared directory images are kept in instead of `PROJECT/artifacts/`, if any.
    public let sharedDirectory: URL?
    /// Digests known to be on disk, so that storing the same image again costs no system call.
    private let known = Mutex<Set<String>>([])
    /// Directories checked to lie inside the project (`ProjectPaths`): each is checked once.
    private let checkedDirectories = Mutex<Set<String>>([])

    public init(projectDirectory: URL, sharedDirectory: URL? = nil) {
        self.projectDirectory = projectDirectory
        self.sharedDirectory = sharedDirectory
    }

    /// Where images are kept, for people: the shared directory or `PROJECT/artifacts`.
    public var location: String { (sharedDirectory ?? projectDirectory.appendingPathComponent("artifacts")).path }

    /// The directory paths are checked against, and the path inside it, for a stored name.
    private func place(_ relative: String) -> (base: URL, inside: String) {
        guard let sharedDirectory else { return (projectDirectory, relative) }
        return (sharedDirectory, String(relative.dropFirst("artifacts/".count)))
    }

    /// Stores a rendered image under the extension its MIME type calls for.
    public func store(_ image: RenderedImage) throws -> (path: String, sha256: String) {
        try store(image.bytes, fileExtension: Self.fileExtension(forMIME: image.mime), sha256: image.sha256)
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
        guard !fileExtension.isEmpty, fileExtension.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else {
            throw ArtifactError(message: "invalid file extension \(TextSanitizer.quoted(fileExtension))")
        }
        let digest = sha256 ?? SHA256Hex.digest(bytes)
        let relative = "artifacts/\(digest.prefix(2))/\(digest).\(fileExtension)"
        if known.withLock({ $0.contains(relative) }) { return (relative, digest) }
        let (base, inside) = place(relative)
        let url = base.appendingPathComponent(inside)
        try checkInside((relative as NSString).deletingLastPathComponent)
        if !FileManager.default.fileExists(atPath: url.path) {
            let directory = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let temporary = directory.appendingPathComponent(".\(digest).\(UUID().uuidString).tmp")
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
            } catch let error as ArtifactError {
                throw error
            } catch {
                throw ArtifactError(message: "cannot write the image under \(directory.path): \(FileErrorText.reason(error))")
            }
        }
        known.withLock { _ = $0.insert(relative) }
        return (relative, digest)
    }

    /// The bytes of a stored image. Its directory is checked to lie inside the project once;
    /// the file itself is opened without following a link (the store never makes one), which
    /// keeps an export of 10,000 images to four system calls each.
    /// `verify: false` for a caller that checks the digest itself as it copies (an export).
    public func read(_ relativePath: String, verify: Bool = true) throws -> [UInt8] {
        guard relativePath.hasPrefix("artifacts/"), !relativePath.contains(".."), !relativePath.hasSuffix("/") else {
            throw ArtifactError(message: "refusing to read outside the artifacts directory: \(TextSanitizer.quoted(relativePath))")
        }
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
        // The name is the digest of what was stored: anything else is not that image.
        let name = ((relativePath as NSString).lastPathComponent as NSString).deletingPathExtension
        if verify, name.count == 64, name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
            SHA256Hex.digest(bytes) != name
        {
            throw FileInputError(path: path, reason: "its content does not match its SHA-256 name (damaged or replaced)")
        }
        return bytes
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
        do { _ = try ProjectPaths.inside(base, inside) } catch let error as ProjectPathError {
            throw ArtifactError(message: "\(what): \(error.message)")
        }
        checkedDirectories.withLock { _ = $0.insert(directory) }
    }
}

public struct ArtifactError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "Artifact: \(message)" + (message.hasSuffix(".") ? "" : ".") }
}
