import Foundation

/// An exclusive lock on `PROJECT/render.lock` (flock): the kernel releases it when the process
/// dies, even by `kill -9`, so a crashed renderer never blocks the next one.
final class RenderLock {
    private var descriptor: Int32

    init(directory: URL) throws {
        let path = try ProjectPaths.inside(directory, "render.lock").path
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw EngineError.renderBusy("cannot open \(path)") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            var holder = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &holder, holder.count, 0)
            close(descriptor)
            descriptor = -1
            let pid = count > 0 ? String(decoding: holder.prefix(count), as: UTF8.self) : "unknown"
            throw EngineError.renderBusy("pid \(pid.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
