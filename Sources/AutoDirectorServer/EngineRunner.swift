import AutoDirectorCore
import NIOPosix

/// Runs the engine's blocking calls (SQLite, files) on threads of their own, so that no request
/// blocks a thread of Swift's cooperative pool or an event loop. A request cancelled while its
/// call runs (the service stopping past `--shutdown-grace`) stops waiting for it: the call
/// cannot be interrupted, but the request and the shutdown need not wait for it.
final class EngineRunner: Sendable {
    let engine: Engine
    private let pool: NIOThreadPool

    init(engine: Engine, threads: Int) {
        self.engine = engine
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (Engine) throws -> T) async throws -> T {
        let (engine, pool) = (self.engine, self.pool)
        return try await Outcome.abandoningOnCancel { try await pool.runIfActive { try body(engine) } }
    }

    /// Ends the threads once their calls return, waiting at most `limit`; false when a call was
    /// still running then (it is left to end with the process).
    func shutdown(within limit: Duration) async -> Bool {
        let pool = self.pool
        return await withCheckedContinuation { continuation in
            let once = Outcome<Bool>()
            once.wait(continuation)
            Task {
                try? await pool.shutdownGracefully()
                once.settle(.success(true))
            }
            Task {
                try? await Task.sleep(for: limit)
                once.settle(.success(false))
            }
        }
    }
}
