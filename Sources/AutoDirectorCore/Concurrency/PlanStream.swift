import Foundation

/// Plans chunks of rows on background threads while the caller stores the results: decoding and
/// planning (CPU) overlap with storing (one SQLite writer) instead of running one after the
/// other. Chunks come out in input order; at most `lookahead` chunks wait in memory.
///
/// The workers hold only the shared state, not the stream, so dropping or cancelling the stream
/// always lets them finish: a consumer that stops early (an error) never leaves threads waiting.
public final class PlanStream: Sendable {
    private let state: State

    /// `produceChunk(i)` plans chunk `i` of `chunkCount`; it runs on the worker threads.
    public init(
        chunkCount: Int, lookahead: Int = 8, workers: Int = 2, produceChunk: @escaping @Sendable (Int) throws -> [PlannedShot]
    ) {
        state = State(chunkCount: chunkCount, lookahead: max(1, lookahead), produceChunk: produceChunk)
        for _ in 0..<max(1, workers) {
            Thread.detachNewThread { [state] in state.produce() }
        }
    }

    deinit { state.cancel() }

    /// The next chunk in input order, nil when all are consumed; rethrows a planning error, and
    /// throws `CancellationError` once cancelled.
    public func next() throws -> [PlannedShot]? { try state.next() }

    /// Stops the workers (the consumer gave up, e.g. on a database error).
    public func cancel() { state.cancel() }

    /// Number of worker threads still running, for tests.
    var runningWorkers: Int { state.runningWorkers }

    private final class State: @unchecked Sendable {
        let chunkCount: Int
        let lookahead: Int
        let produceChunk: @Sendable (Int) throws -> [PlannedShot]
        let condition = NSCondition()
        // Guarded by `condition`.
        var ready: [Int: Result<[PlannedShot], Error>] = [:]
        var nextToProduce = 0
        var nextToConsume = 0
        var cancelled = false
        var running = 0

        init(chunkCount: Int, lookahead: Int, produceChunk: @escaping @Sendable (Int) throws -> [PlannedShot]) {
            self.chunkCount = chunkCount
            self.lookahead = lookahead
            self.produceChunk = produceChunk
        }

        var runningWorkers: Int {
            condition.lock()
            defer { condition.unlock() }
            return running
        }

        func next() throws -> [PlannedShot]? {
            condition.lock()
            defer { condition.unlock() }
            guard nextToConsume < chunkCount else { return nil }
            while ready[nextToConsume] == nil && !cancelled { condition.wait() }
            guard let result = ready.removeValue(forKey: nextToConsume) else { throw CancellationError() }
            nextToConsume += 1
            condition.broadcast()
            return try result.get()
        }

        func cancel() {
            condition.lock()
            cancelled = true
            ready.removeAll()
            condition.broadcast()
            condition.unlock()
        }

        func produce() {
            condition.lock()
            running += 1
            condition.unlock()
            defer {
                condition.lock()
                running -= 1
                condition.broadcast()
                condition.unlock()
            }
            while true {
                condition.lock()
                while !cancelled && nextToProduce < chunkCount && nextToProduce >= nextToConsume + lookahead { condition.wait() }
                guard !cancelled, nextToProduce < chunkCount else {
                    condition.unlock()
                    return
                }
                let chunk = nextToProduce
                nextToProduce += 1
                condition.unlock()

                let result = Result { try produceChunk(chunk) }
                condition.lock()
                if !cancelled { ready[chunk] = result }
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
