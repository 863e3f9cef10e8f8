import Foundation

/// An exclusive `flock` on a file, between processes: the kernel releases it when the process
/// dies, even by `kill -9`, so a crash never leaves it held. The render lock and the export
/// lock are built on it.
final class FileLock {
    /// The open lock file, for a holder to record itself in; -1 once released.
    private(set) var descriptor: Int32

    /// Why a lock could not be taken: the file would not open, or (`waiting: false`) another
    /// process holds it.
    enum Failure: Error {
        case cannotOpen(String)
        case held
    }

    /// Takes the lock on `path` (created when missing, never through a link), waiting for it or
    /// failing at once with `.held`.
    init(path: String, waiting: Bool) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure.cannotOpen(String(cString: strerror(errno))) }
        while flock(descriptor, LOCK_EX | (waiting ? 0 : LOCK_NB)) != 0 {
            if errno == EINTR { continue }
            let failure: Failure = errno == EWOULDBLOCK ? .held : .cannotOpen(String(cString: strerror(errno)))
            close(descriptor)
            descriptor = -1
            throw failure
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
