import Foundation

/// Exports of one batch to one directory, one at a time: an exclusive `flock` on
/// `DIR/.<batch>.lock`, waited for (another export of the same bundle finishes in
/// seconds), released by the kernel if the process dies. Without it two exports each removed
/// the other's staging files as leftovers of a killed export, and both failed.
final class ExportLock {
    private var descriptor: Int32

    init(directory: URL, name: String) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ExportError(message: "cannot create \(TextSanitizer.visible(directory.path, limit: 300)): \(FileErrorText.reason(error))")
        }
        let path = directory.appendingPathComponent(".\(name).lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ExportError(message: "cannot lock the export in \(TextSanitizer.visible(directory.path, limit: 300)): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(descriptor)
            descriptor = -1
            throw ExportError(message: "cannot lock the export in \(TextSanitizer.visible(directory.path, limit: 300)): \(reason)")
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
