import Foundation

/// Exports of one batch to one directory, one at a time: a `FileLock` on `DIR/.<batch>.lock`,
/// waited for (another export of the same bundle finishes in seconds). Without it two exports
/// each removed the other's staging files as leftovers of a killed export, and both failed.
final class ExportLock {
    private let lock: FileLock

    init(directory: URL, name: String) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            lock = try FileLock(path: directory.appendingPathComponent(".\(name).lock").path, waiting: true)
        } catch let failure as FileLock.Failure {
            throw ExportError(message: "cannot lock the export in \(TextSanitizer.visible(directory.path, limit: 300)): \(failure)")
        } catch {
            throw ExportError(message: "cannot create \(TextSanitizer.visible(directory.path, limit: 300)): \(FileErrorText.reason(error))")
        }
    }

    func release() { lock.release() }
}
