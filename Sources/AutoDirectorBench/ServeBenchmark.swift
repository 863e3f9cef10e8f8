import AsyncHTTPClient
import AutoDirectorCore
import AutoDirectorServer
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `bench serve`: the service in this process on 127.0.0.1 and an ephemeral port, on a small
/// rendered project: `clients` clients reading one shot (`GET /shots/{id}`) as fast as they
/// can, then 8 clients sending 120 approve/reject requests that each change a shot's review.
public enum ServeBenchmark {
    public struct Result: Sendable {
        public var clients: Int
        public var reads: Int
        public var readsPerSecond: Double
        public var readP50MS: Double
        public var readP99MS: Double
        public var reviews: Int
        public var reviewsSucceeded: Int
        public var reviewsLogged: Int
        public var reviewP50MS: Double
        public var reviewP99MS: Double
    }

    public static func run(clients: Int, requestsPerClient: Int) async throws -> Result {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-bench-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let csv = root.appendingPathComponent("bench.csv")
        let rows = (1...8).map { "SHOT-\($0),Product \($0),homeware,ceramic,glossy" }.joined(separator: "\n")
        try Data(("sku,product_name,category,material,finish\n" + rows + "\n").utf8).write(to: csv)
        let engine = try await Blocking.run { () throws -> Engine in
            let engine = try Engine(projectDirectory: root.appendingPathComponent("project"), mode: .create)
            _ = try engine.plan(batchID: try engine.ingest(csv).batchID, preset: "brand_neutral_cool")
            _ = try engine.enqueueRender()
            return engine
        }
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings())

        var logger = Logger(label: "bench-serve")
        logger.logLevel = .critical
        let options = ServerOptions(port: 0, reviewer: "bench", makeProvider: { MockProvider() })
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let service = Task { [logger] in
            try await AutoDirectorService.run(engine: engine, options: options, logger: logger, gracefulShutdownSignals: []) { continuation.yield($0) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchError("the service did not start") }
        let base = "http://127.0.0.1:\(port)"
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(16, clients)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            func timed(_ method: HTTPMethod, _ path: String, _ body: String?) async throws -> (Double, Int) {
                var request = HTTPClientRequest(url: base + path)
                request.method = method
                if let body {
                    request.headers.add(name: "content-type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: body))
                }
                let start = ContinuousClock.now
                let response = try await client.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                let elapsed = ContinuousClock.now - start
                return (elapsed.seconds * 1000, Int(response.status.code))
            }
            // Warm the connections.
            _ = try await timed(.GET, "/shots/SHOT-1", nil)
            let readStart = ContinuousClock.now
            let reads = try await withThrowingTaskGroup(of: [Double].self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        var times: [Double] = []
                        for _ in 0..<requestsPerClient { times.append(try await timed(.GET, "/shots/SHOT-1", nil).0) }
                        return times
                    }
                }
                return try await group.reduce(into: [Double]()) { $0 += $1 }
            }.sorted()
            let readSeconds = ContinuousClock.now - readStart
            let reviews = try await withThrowingTaskGroup(of: [(Double, Int)].self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        var results: [(Double, Int)] = []
                        for index in 0..<15 {
                            let path = "/shots/SHOT-\(writer + 1)/" + (index % 2 == 0 ? "approve" : "reject")
                            results.append(try await timed(.POST, path, index % 2 == 0 ? "{}" : #"{"note":"bench"}"#))
                        }
                        return results
                    }
                }
                return try await group.reduce(into: [(Double, Int)]()) { $0 += $1 }
            }
            let reviewTimes = reviews.map(\.0).sorted()
            let logged = try await Blocking.run { try (1...8).reduce(0) { $0 + (try engine.reviewLog(of: "SHOT-\($1)").count) } }
            try await client.shutdown()
            service.cancel()
            _ = try? await service.value
            let seconds = readSeconds.seconds
            return Result(
                clients: clients, reads: reads.count, readsPerSecond: Double(reads.count) / max(seconds, 0.000001),
                readP50MS: Percentile.of(reads, 0.5), readP99MS: Percentile.of(reads, 0.99), reviews: reviews.count,
                reviewsSucceeded: reviews.filter { $0.1 == 200 }.count, reviewsLogged: logged,
                reviewP50MS: Percentile.of(reviewTimes, 0.5), reviewP99MS: Percentile.of(reviewTimes, 0.99))
        } catch {
            try? await client.shutdown()
            service.cancel()
            throw error
        }
    }

}
