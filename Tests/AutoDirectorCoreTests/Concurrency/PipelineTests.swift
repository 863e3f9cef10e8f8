import Foundation
import Synchronization
import Testing
@testable import AutoDirectorCore

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

    @Test func aConsumerThatStopsEarlyLeavesNoWorkersBehind() throws {
        let stream = PlanStream(chunkCount: 1000, lookahead: 2, workers: 2) { _ in [] }
        _ = try stream.next()
        stream.cancel()
        #expect(stream.waitForWorkers(until: Date().addingTimeInterval(10)))
        #expect(stream.runningWorkers == 0)
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

    @Test func aCancelledPipeStopsItsProducer() throws {
        let finished = Monitor(false)
        let pipe = ChunkPipe<Int>.producing(capacity: 1) { pipe in
            defer { finished.withLock { $0 = true } }
            while pipe.send([1]) {}
        }
        _ = try pipe.next()
        pipe.cancel()
        #expect(finished.withLock(waitingUntil: { $0 }, deadline: Date().addingTimeInterval(10)) { _, ready in ready })
        #expect(throws: CancellationError.self) { try pipe.next() }
    }

    @Test func commitsRunInOrderAndTheFirstFailureIsRethrown() async throws {
        let queue = CommitQueue(depth: 2)
        let order = Mutex<[Int]>([])
        for index in 0..<20 { try await queue.submit { order.withLock { $0.append(index) } } }
        try await queue.drain()
        #expect(order.withLock { $0 } == Array(0..<20))

        try await queue.submit { throw Boom() }
        try? await queue.submit { order.withLock { $0.append(99) } }
        await #expect(throws: Boom.self) { try await queue.drain() }
        #expect(!order.withLock { $0 }.contains(99))
        await #expect(throws: Boom.self) { try await queue.submit {} }
    }

    /// Back-pressure without blocking: with one slot, a second submit waits (suspended) until
    /// the first commit finishes, which the test lets happen by opening a gate.
    @Test func aFullQueueSuspendsTheSubmitterUntilACommitFinishes() async throws {
        let queue = CommitQueue(depth: 1)
        let gate = Monitor(false)
        let events = Mutex<[String]>([])
        try await queue.submit {
            gate.withLock(waitingUntil: { $0 }) { _, _ in }
            events.withLock { $0.append("first committed") }
        }
        async let second: Void = {
            try await queue.submit { events.withLock { $0.append("second committed") } }
            events.withLock { $0.append("second submit returned") }
        }()
        events.withLock { $0.append("gate opened") }
        gate.withLock { $0 = true }
        try await second
        try await queue.drain()
        let order = events.withLock { $0 }
        #expect(Set(order) == ["gate opened", "first committed", "second submit returned", "second committed"])
        // The second submit could only return once the first commit had freed the one slot.
        let returned = try #require(order.firstIndex(of: "second submit returned"))
        #expect(try #require(order.firstIndex(of: "first committed")) < returned, "\(order)")
    }

    @Test func aLoopErrorAndACommitFailureAreBothReported() {
        struct ReadFailed: Error, CustomStringConvertible { var description: String { "the page read failed." } }
        let combined = CommitQueue.combined(ReadFailed(), with: Boom())
        #expect(String(describing: combined).hasPrefix("the page read failed. A commit of finished items failed as well:"))
        #expect(CommitQueue.combined(CancellationError(), with: Boom()) is Boom)
        #expect(CommitQueue.combined(ReadFailed(), with: nil) is ReadFailed)
    }

    @Test func blockingWorkRunsOffTheCooperativePool() async throws {
        // Sixteen bodies that each wait for all the others: on the cooperative pool (one thread
        // per core) they could never all be waiting at once.
        let arrived = Monitor(0)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    await Blocking.run {
                        arrived.withLock { $0 += 1 }
                        return arrived.withLock(waitingUntil: { $0 == 16 }, deadline: Date().addingTimeInterval(20)) { _, ready in ready }
                    }
                }
            }
            for try await allArrived in group { #expect(allArrived) }
        }
    }
}
