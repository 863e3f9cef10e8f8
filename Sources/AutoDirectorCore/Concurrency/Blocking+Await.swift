import Foundation
import Synchronization

extension Blocking {
    /// The other way round: async work run to completion for a blocking caller. The engine's
    /// store calls block their thread (every face calls the engine off Swift's cooperative pool
    /// and off event loops); the postgres-nio calls that exist only as async (COPY) go through
    /// here. The work runs on the cooperative pool, which the caller's thread is not part of.
    static func await<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}
