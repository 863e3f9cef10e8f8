import Foundation

/// One renderer per project, taken without waiting and released when the render ends (or the
/// process dies). The holder can be named, so the next one can say who renders.
protocol RenderLock: AnyObject {
    func release()
}

/// The embedded project's: an exclusive `FileLock` on `PROJECT/render.lock`; the holder writes its
/// pid into the file.
final class FileRenderLock: RenderLock {
    private let lock: FileLock

    init(directory: URL) throws {
        let path = try ProjectPaths.inside(directory, "render.lock").path
        do {
            lock = try FileLock(path: path, waiting: false)
        } catch FileLock.Failure.held {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            throw EngineError.renderBusy("pid \(holder.isEmpty ? "unknown" : holder)")
        } catch {
            throw EngineError.renderBusy("cannot open \(path)")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(lock.descriptor, 0)
        _ = pwrite(lock.descriptor, pid, pid.count, 0)
    }

    func release() { lock.release() }
}
