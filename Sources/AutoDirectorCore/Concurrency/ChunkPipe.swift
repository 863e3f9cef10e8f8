import Foundation
import Synchronization

/// A bounded queue of chunks from one producer thread to one consumer thread, so that reading
/// a file and storing it overlap (ingest). The producer ends the stream with `finish`, passing
/// an error when the input turned out to be invalid; the consumer then rethrows it after the
/// last chunk. Both sides block their thread while they wait: neither may be a task on the
/// cooperative pool (see `README.md`).
public final class ChunkPipe<Element: Sendable>: Sendable {
    private struct State: Sendable {
        var queue: [[Element]] = []
        var finished = false
        var failure: (any Error)?
        var cancelled = false
    }

    private let capacity: Int
    private let state = Monitor(State())
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
        let capacity = self.capacity
        return state.withLock(waitingUntil: { $0.queue.count < capacity || $0.cancelled }) { state, _ in
            guard !state.cancelled else { return false }
            state.queue.append(chunk)
            return true
        }
    }

    public func finish(_ error: (any Error)?) {
        state.withLock { state in
            state.finished = true
            state.failure = error
        }
    }

    /// The next chunk; nil at the end of a successful stream; the producer's error at the end of
    /// a failed one.
    public func next() throws -> [Element]? {
        try state.withLock(waitingUntil: { !$0.queue.isEmpty || $0.finished || $0.cancelled }) { state, _ in
            if state.cancelled { throw CancellationError() }
            if !state.queue.isEmpty { return state.queue.removeFirst() }
            if let failure = state.failure { throw failure }
            return nil
        }
    }

    /// Tells the producer to stop (the consumer gave up).
    public func cancel() {
        state.withLock { state in
            state.cancelled = true
            state.queue.removeAll()
        }
        cancelFlag.store(true, ordering: .relaxed)
    }

    /// Lets a producer that sends rarely (e.g. one only reading on to report problems) stop early.
    public var isCancelled: Bool { cancelFlag.load(ordering: .relaxed) }
}
