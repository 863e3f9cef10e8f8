import Foundation
import Synchronization

extension Blocking {
    /// The other way round: async work run to completion for a blocking caller (the postgres-nio
    /// calls that exist only as async, such as COPY). The caller may itself be a thread of
    /// Swift's cooperative pool (a test, a command's async `run`), and a pool of two threads
    /// with both waiting here would have none left for the work: so the work runs on a
    /// dispatch queue of its own (`DispatchTaskExecutor`), never on the pool.
    static func await<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: DispatchTaskExecutor.shared) {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}

/// Runs tasks' jobs on a concurrent dispatch queue, whose threads are not the cooperative
/// pool's: dispatch adds a thread when the ones it has are blocked.
final class DispatchTaskExecutor: TaskExecutor {
    static let shared = DispatchTaskExecutor()
    private let queue = DispatchQueue(label: "autodirector.blocking-await", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
