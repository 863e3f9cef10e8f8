import Foundation
import Synchronization

/// Image files of a project, content-addressed by their SHA-256 under `PROJECT/artifacts/`:
/// identical images are stored once, and a path is built only from a hex digest, never from
/// user data. Files are written to a temporary name and renamed, so a crash never leaves a
/// half-written image under its final name.
public final class ArtifactFiles: Sendable {
    public let projectDirectory: URL
    /// Digests known to be on disk, so that storing the same image again costs no system call.
    private let known = Mutex<Set<String>>([])
    /// Directories checked to lie inside the project (`ProjectPaths`): each is checked once.
    private let checkedDirectories = Mutex<Set<String>>([])

    public init(projectDirectory: URL) {
        self.projectDirectory = projectDirectory
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
        let url = projectDirectory.appendingPathComponent(relative)
        try checkInsideProject("artifacts/\(digest.prefix(2))")
        if !FileManager.default.fileExists(atPath: url.path) {
            let directory = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let temporary = directory.appendingPathComponent(".\(digest).\(UUID().uuidString).tmp")
                do { try Data(bytes).write(to: temporary) } catch {
                    // A full disk (ENOSPC) leaves part of the image written: none of it may stay.
                    unlink(temporary.path)
                    throw error
                }
                if rename(temporary.path, url.path) != 0 {
                    try? FileManager.default.removeItem(at: temporary)
                    throw ArtifactError(message: "cannot move the image into place at \(url.path)")
                }
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
    public func read(_ relativePath: String) throws -> [UInt8] {
        guard relativePath.hasPrefix("artifacts/"), !relativePath.contains(".."), !relativePath.hasSuffix("/") else {
            throw ArtifactError(message: "refusing to read outside the artifacts directory: \(TextSanitizer.quoted(relativePath))")
        }
        try checkInsideProject((relativePath as NSString).deletingLastPathComponent, doing: "cannot read the image")
        let path = projectDirectory.path + "/" + relativePath
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

    private func checkInsideProject(_ directory: String, doing what: String = "cannot store the image") throws {
        if checkedDirectories.withLock({ $0.contains(directory) }) { return }
        do { _ = try ProjectPaths.inside(projectDirectory, directory) } catch let error as ProjectPathError {
            throw ArtifactError(message: "\(what): \(error.message)")
        }
        checkedDirectories.withLock { _ = $0.insert(directory) }
    }
}

public struct ArtifactError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "Artifact: \(message)" + (message.hasSuffix(".") ? "" : ".") }
}
