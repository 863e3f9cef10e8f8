import Foundation

/// Writes that are on disk when they return (fsync), for files whose name is recorded elsewhere
/// right after: an image must exist under its name before the database row that names it.
enum DurableFile {
    /// Creates `path` (which must not exist) with `bytes`, flushed to disk.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw Self.error() }
        defer { close(descriptor) }
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.error()
            }
            done += count
        }
        guard fsync(descriptor) == 0 else { throw Self.error() }
    }

    /// Flushes a directory's entries (a rename into it) to disk.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.error() }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Self.error() }
    }

    /// The failed call's error, as Foundation reports file errors (`FileErrorText` words it).
    private static func error() -> POSIXError {
        POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
}
