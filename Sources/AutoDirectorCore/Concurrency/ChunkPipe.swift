import Foundation
import Synchronization

/// A bounded queue of chunks from one producer thread to one consumer, so that reading a file
/// and storing it overlap. The producer ends the stream with `finish`, passing an error when the
/// input turned out to be invalid; the consumer then rethrows it after the last chunk.
public final class ChunkPipe<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    // Guarded by `condition`.
    private var queue: [[Element]] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    /// Mirrors `cancelled` for `isCancelled`, which a producer polls per record without locking.
    private let cancelFlag = Atomic<Bool>(false)

    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// A pipe whose producer runs `produce` on a new thread; `produce` returns normally to end
    /// the stream or throws to fail it.
    public static func producing(capacity: Int = 8, _ produce: @escaping @Sendable (ChunkPipe<Element>) throws -> Void) -> ChunkPipe<Element> {
        let pipe = ChunkPipe(capacity: capacity)
        Thread.detachNewThread {
            do {
                try produce(pipe)
                pipe.finish(nil)
            } catch {
                pipe.finish(error)
            }
        }
        return pipe
    }

    /// Queues a chunk, waiting while the queue is full. Returns false once the consumer cancelled:
    /// the producer should stop.
    @discardableResult
    public func send(_ chunk: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }

    public func finish(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk; nil at the end of a successful stream; the producer's error at the end of
    /// a failed one.
    public func next() throws -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        if !queue.isEmpty {
            let chunk = queue.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }

    /// Tells the producer to stop (the consumer gave up).
    public func cancel() {
        condition.lock()
        cancelled = true
        cancelFlag.store(true, ordering: .relaxed)
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Lets a producer that sends rarely (e.g. one only reading on to report problems) stop early.
    public var isCancelled: Bool { cancelFlag.load(ordering: .relaxed) }
}
