import Dispatch
import Synchronization

/// Runs a render job's database commits one after another on a thread of their own, so the
/// job keeps rendering while finished items are written. At most `depth` commits are queued or
/// running; `submit` suspends (it does not block its thread) until one finishes. The first
/// failure stops later commits and is rethrown by the next `submit` and by `drain`.
final class CommitQueue: Sendable {
    private struct State {
        var inFlight = 0
        var failure: (any Error)?
        /// Submitters waiting for a slot, in order: each is handed the slot of a finished commit.
        var waitingForSlot: [CheckedContinuation<Void, Never>] = []
        var waitingForDrain: [CheckedContinuation<Void, Never>] = []
    }

    private let depth: Int
    private let writer = DispatchQueue(label: "autodirector.commits")
    private let state = Mutex(State())

    init(depth: Int = 2) {
        self.depth = max(1, depth)
    }

    /// Queues `commit` behind the earlier ones. Commits run in the order they were submitted,
    /// provided one task submits them (the render loop does).
    func submit(_ commit: @escaping @Sendable () throws -> Void) async throws {
        try rethrowFailure()
        await acquireSlot()
        writer.async { [self] in
            if state.withLock({ $0.failure == nil }) {
                do { try commit() } catch { state.withLock { $0.failure = $0.failure ?? error } }
            }
            releaseSlot()
        }
    }

    /// Waits until every submitted commit has finished; rethrows the first failure.
    func drain() async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.inFlight == 0 { return true }
                state.waitingForDrain.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
        try rethrowFailure()
    }

    /// The first commit failure, if there was one.
    var failure: (any Error)? { state.withLock { $0.failure } }

    private func rethrowFailure() throws {
        if let failure { throw failure }
    }

    private func acquireSlot() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state in
                if state.inFlight < depth {
                    state.inFlight += 1
                    return true
                }
                state.waitingForSlot.append(continuation)
                return false
            }
            if acquired { continuation.resume() }
        }
    }

    private func releaseSlot() {
        let (next, drained) = state.withLock { state -> (CheckedContinuation<Void, Never>?, [CheckedContinuation<Void, Never>]) in
            // A waiting submitter takes the slot over: `inFlight` stays as it is.
            if !state.waitingForSlot.isEmpty { return (state.waitingForSlot.removeFirst(), []) }
            state.inFlight -= 1
            guard state.inFlight == 0 else { return (nil, []) }
            defer { state.waitingForDrain.removeAll() }
            return (nil, state.waitingForDrain)
        }
        next?.resume()
        for waiter in drained { waiter.resume() }
    }
}

extension CommitQueue {
    /// The error to report when work that submitted commits stopped with `error`, and
    /// `commitFailure` says whether a commit failed too: neither is dropped.
    static func combined(_ error: any Error, with commitFailure: (any Error)?) -> any Error {
        guard let commitFailure else { return error }
        // The submitter rethrew the commit's own failure, or stopped because of it.
        if error is CancellationError || String(describing: error) == String(describing: commitFailure) { return commitFailure }
        return StoppedWithCommitFailure(error: error, commitFailure: commitFailure)
    }
}

/// Work stopped with `error` while a commit of its results failed as well.
struct StoppedWithCommitFailure: Error, CustomStringConvertible {
    let error: any Error
    let commitFailure: any Error

    var description: String { "\(error) A commit of finished items failed as well: \(commitFailure)" }
}
