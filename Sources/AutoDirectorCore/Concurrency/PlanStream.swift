import Foundation

/// Plans chunks of rows on background threads while the caller stores the results: decoding and
/// planning (CPU) overlap with storing (one SQLite writer) instead of running one after the
/// other. Chunks come out in input order; at most `lookahead` chunks wait in memory.
public final class PlanStream: @unchecked Sendable {
    private let chunkCount: Int
    private let produceChunk: @Sendable (Int) throws -> [PlannedShot]
    private let lookahead: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var ready: [Int: Result<[PlannedShot], Error>] = [:]
    private var nextToProduce = 0
    private var cancelled = false
    private var nextToConsume = 0

    /// `produceChunk(i)` plans chunk `i` of `chunkCount`; it runs on the worker threads.
    public init(
        chunkCount: Int, lookahead: Int = 8, workers: Int = 2, produceChunk: @escaping @Sendable (Int) throws -> [PlannedShot]
    ) {
        self.chunkCount = chunkCount
        self.produceChunk = produceChunk
        self.lookahead = max(1, lookahead)
        for _ in 0..<max(1, workers) {
            Thread.detachNewThread { [self] in produce() }
        }
    }

    deinit { cancel() }

    /// The next chunk in input order, nil when all are consumed; rethrows a planning error.
    public func next() throws -> [PlannedShot]? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToConsume < chunkCount else { return nil }
        while ready[nextToConsume] == nil { condition.wait() }
        let result = ready.removeValue(forKey: nextToConsume)!
        nextToConsume += 1
        condition.broadcast()
        return try result.get()
    }

    /// Stops the workers (the consumer gave up, e.g. on a database error).
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    private func produce() {
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
            ready[chunk] = result
            condition.broadcast()
            condition.unlock()
        }
    }
}

extension PlanStream {
    /// Plans items already in memory, in chunks.
    public convenience init(planner: Planner, items: [IngestItem], chunkSize: Int = 2048) {
        let size = max(1, chunkSize)
        self.init(chunkCount: (items.count + size - 1) / size) { chunk in
            try planner.planSequentially(items[(chunk * size)..<min(items.count, (chunk + 1) * size)])
        }
    }
}
