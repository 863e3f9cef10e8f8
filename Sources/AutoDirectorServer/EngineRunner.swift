import AutoDirectorCore
import NIOPosix

/// Runs the engine's blocking calls (SQLite, files) on threads of their own, so that no request
/// blocks a thread of Swift's cooperative pool or an event loop.
final class EngineRunner: Sendable {
    let engine: Engine
    private let pool: NIOThreadPool

    init(engine: Engine, threads: Int) {
        self.engine = engine
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (Engine) throws -> T) async throws -> T {
        let engine = self.engine
        return try await pool.runIfActive { try body(engine) }
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
