import Dispatch

/// The one way async code runs blocking work — SQLite (which may wait up to a minute for
/// another process's write lock), waiting on a `Monitor`, a test driver waiting for idle — so
/// that it never holds a thread of Swift's cooperative pool, which has one thread per core:
/// one blocked thread there stalls half the render pipeline on a 2-core machine. See
/// `README.md` in this folder.
public enum Blocking {
    /// Runs `body` on a thread outside the cooperative pool and resumes with its result. `body`
    /// is not cancelled with the caller's task: it is short or bounded (a transaction, a page).
    ///
    /// Each call gets a serial queue of its own: Dispatch runs serial queues on "overcommit"
    /// threads, added while others are blocked, whereas a concurrent queue is capped at one
    /// thread per core — blocking work there starves itself (found under the parallel tests).
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "autodirector.blocking").async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// `run` for work that cannot fail.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "autodirector.blocking").async { continuation.resume(returning: body()) }
        }
    }
}
