import Synchronization

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

    /// `work`'s result, or CancellationError as soon as the caller is cancelled: `work` runs on
    /// in a task of its own, its result dropped. For waits the caller must not be held by (a
    /// blocking engine call, a render job) once the service is stopping.
    static func abandoningOnCancel(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.wait(continuation)
                Task {
                    do { outcome.settle(.success(try await work())) } catch { outcome.settle(.failure(error)) }
                }
            }
        } onCancel: {
            outcome.settle(.failure(CancellationError()))
        }
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
