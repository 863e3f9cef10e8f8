import Foundation
import Synchronization
import Testing
@testable import AutoDirectorCore

/// Waits for a condition with a deadline instead of sleeping for a fixed time.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}

private struct Boom: Error {}

@Suite struct PipelineTests {
    @Test func planStreamKeepsOrderAndRethrows() throws {
        let stream = PlanStream(chunkCount: 20, lookahead: 3) { chunk in
            if chunk == 7 { throw Boom() }
            return []
        }
        for _ in 0..<7 { #expect(try stream.next() != nil) }
        #expect(throws: Boom.self) { try stream.next() }
    }

    @Test func aConsumerThatStopsEarlyLeavesNoWorkersBehind() async throws {
        let stream = PlanStream(chunkCount: 1000, lookahead: 2, workers: 2) { _ in [] }
        _ = try stream.next()
        stream.cancel()
        #expect(await eventually { stream.runningWorkers == 0 })
        #expect(throws: CancellationError.self) { try stream.next() }
    }

    @Test func chunkPipeDeliversInOrderThenTheProducersError() throws {
        let pipe = ChunkPipe<Int>.producing(capacity: 2) { pipe in
            for start in stride(from: 0, to: 100, by: 10) { pipe.send(Array(start..<start + 10)) }
            throw Boom()
        }
        var all: [Int] = []
        #expect(throws: Boom.self) {
            while let chunk = try pipe.next() { all += chunk }
        }
        #expect(all == Array(0..<100))
    }

    @Test func aCancelledPipeStopsItsProducer() async throws {
        let finished = Mutex(false)
        let pipe = ChunkPipe<Int>.producing(capacity: 1) { pipe in
            defer { finished.withLock { $0 = true } }
            while pipe.send([1]) {}
        }
        _ = try pipe.next()
        pipe.cancel()
        #expect(await eventually { finished.withLock { $0 } })
        #expect(throws: CancellationError.self) { try pipe.next() }
    }

    @Test func commitsRunInOrderAndTheFirstFailureIsRethrown() throws {
        let queue = CommitQueue(depth: 2)
        let order = Mutex<[Int]>([])
        for index in 0..<20 { try queue.submit { order.withLock { $0.append(index) } } }
        try queue.drain()
        #expect(order.withLock { $0 } == Array(0..<20))

        try queue.submit { throw Boom() }
        try? queue.submit { order.withLock { $0.append(99) } }
        #expect(throws: Boom.self) { try queue.drain() }
        #expect(!order.withLock { $0 }.contains(99))
    }
}
