import Foundation

/// Runs database commits on a thread of their own, in order, so that a render job keeps
/// rendering while finished items are written. At most `depth` commits wait at once (the
/// submitter waits beyond that); the first failure is rethrown by the next `submit` or `drain`.
final class CommitQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "autodirector.commits")
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    // Guarded by `lock`.
    private var failure: Error?

    init(depth: Int = 2) {
        slots = DispatchSemaphore(value: max(1, depth))
    }

    func submit(_ commit: @escaping @Sendable () throws -> Void) throws {
        try rethrow()
        slots.wait()
        group.enter()
        queue.async { [self] in
            defer {
                slots.signal()
                group.leave()
            }
            guard lock.withLock({ failure == nil }) else { return }
            do { try commit() } catch { lock.withLock { failure = error } }
        }
    }

    /// Waits for every submitted commit.
    func drain() throws {
        group.wait()
        try rethrow()
    }

    private func rethrow() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
