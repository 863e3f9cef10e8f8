import Foundation

/// Plans chunks of rows on background threads while the caller stores the results: decoding and
/// planning (CPU) overlap with storing (one SQLite writer) instead of running one after the
/// other. Chunks come out in input order; at most `lookahead` chunks wait in memory. The caller
/// blocks its thread in `next` (planning is a synchronous engine action; see `README.md`).
///
/// The workers hold only the shared state, not the stream, so dropping or cancelling the stream
/// always lets them finish: a consumer that stops early (an error) never leaves threads waiting.
public final class PlanStream: Sendable {
    private struct State: Sendable {
        var ready: [Int: Result<[PlannedShot], any Error>] = [:]
        var nextToProduce = 0
        var nextToConsume = 0
        var cancelled = false
        var running = 0
    }

    private let chunkCount: Int
    private let state = Monitor(State())

    /// `produceChunk(i)` plans chunk `i` of `chunkCount`; it runs on the worker threads.
    public init(
        chunkCount: Int, lookahead: Int = 8, workers: Int = 2, produceChunk: @escaping @Sendable (Int) throws -> [PlannedShot]
    ) {
        self.chunkCount = chunkCount
        let workerCount = max(1, workers)
        state.withLock { $0.running = workerCount }
        for _ in 0..<workerCount {
            Thread.detachNewThread { [state] in
                Self.produce(state, chunkCount: chunkCount, lookahead: max(1, lookahead), produceChunk)
            }
        }
    }

    deinit { cancel() }

    /// The next chunk in input order, nil when all are consumed; rethrows a planning error, and
    /// throws `CancellationError` once cancelled.
    public func next() throws -> [PlannedShot]? {
        let chunkCount = self.chunkCount
        let result = state.withLock(waitingUntil: { $0.nextToConsume >= chunkCount || $0.ready[$0.nextToConsume] != nil || $0.cancelled }) {
            state, _ -> Result<[PlannedShot], any Error>? in
            guard state.nextToConsume < chunkCount else { return nil }
            guard let result = state.ready.removeValue(forKey: state.nextToConsume) else { return .failure(CancellationError()) }
            state.nextToConsume += 1
            return result
        }
        return try result?.get()
    }

    /// Stops the workers (the consumer gave up, e.g. on a database error).
    public func cancel() {
        state.withLock { state in
            state.cancelled = true
            state.ready.removeAll()
        }
    }

    /// Number of worker threads still running, for tests.
    var runningWorkers: Int { state.withLock { $0.running } }

    /// Waits (blocking) until every worker has stopped or `deadline` passes, for tests.
    func waitForWorkers(until deadline: Date) -> Bool {
        state.withLock(waitingUntil: { $0.running == 0 }, deadline: deadline) { _, stopped in stopped }
    }

    /// One worker: takes the next chunk number while fewer than `lookahead` wait, plans it
    /// outside the lock, and hands the result over.
    private static func produce(
        _ state: Monitor<State>, chunkCount: Int, lookahead: Int, _ produceChunk: @Sendable (Int) throws -> [PlannedShot]
    ) {
        defer { state.withLock { $0.running -= 1 } }
        while true {
            let taken = state.withLock(waitingUntil: {
                $0.cancelled || $0.nextToProduce >= chunkCount || $0.nextToProduce < $0.nextToConsume + lookahead
            }) { state, _ -> Int? in
                guard !state.cancelled, state.nextToProduce < chunkCount else { return nil }
                defer { state.nextToProduce += 1 }
                return state.nextToProduce
            }
            guard let chunk = taken else { return }
            let result = Result { try produceChunk(chunk) }
            state.withLock { state in
                if !state.cancelled { state.ready[chunk] = result }
            }
        }
    }
}
