import AutoDirectorCore
import NIOPosix
import Synchronization

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
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.wait(continuation)
                Task {
                    do { outcome.settle(.success(try await pool.runIfActive { try body(engine) })) } catch { outcome.settle(.failure(error)) }
                }
            }
        } onCancel: {
            outcome.settle(.failure(CancellationError()))
        }
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

/// A result delivered to one waiter exactly once, by whichever comes first: the work, its
/// cancellation or a deadline (the others are dropped).
final class Outcome<T: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(Resume)
        case settled(Result<T, any Error>)
        case done
    }

    private typealias Resume = @Sendable (Result<T, any Error>) -> Void
    private let state = Mutex<State>(.empty)

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        wait { continuation.resume(with: $0) }
    }

    /// For an outcome that cannot fail: settle it with successes only.
    func wait(_ continuation: CheckedContinuation<T, Never>) {
        wait { result in
            if case .success(let value) = result { continuation.resume(returning: value) }
        }
    }

    private func wait(_ resume: @escaping Resume) {
        let ready: Result<T, any Error>? = state.withLock { state in
            switch state {
            case .settled(let result):
                state = .done
                return result
            case .empty:
                state = .waiting(resume)
                return nil
            case .waiting, .done:
                return nil
            }
        }
        if let ready { resume(ready) }
    }

    func settle(_ result: Result<T, any Error>) {
        let resume: Resume? = state.withLock { state in
            switch state {
            case .empty:
                state = .settled(result)
                return nil
            case .waiting(let resume):
                state = .done
                return resume
            case .settled, .done:
                return nil
            }
        }
        resume?(result)
    }
}
