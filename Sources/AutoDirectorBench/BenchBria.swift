import AutoDirectorCore
import FakeBriaServer

/// The fake Bria server started in this process, and a `bria` provider pointed at it: what
/// `bench render --provider bria` and `bench export --bria-image-size` render through.
public struct BenchBria: Sendable {
    /// The provider to render with; the caller shuts it down, as any provider.
    public let provider: BriaProvider
    private let server: FakeBriaServer

    /// `latency`: how long each submit takes to be answered; `imageSize` and `noise`: the
    /// square PNG served as each result (with noise it hardly compresses, as real renders).
    public static func start(
        latency: Duration = .zero, imageSize: Int = 16, noise: Bool = false, requestsPerMinute: Double, pollInterval: Double,
        connectionsPerHost: Int = 8
    ) async throws -> BenchBria {
        guard let token = BriaToken("bench-token") else { throw BenchError("internal: the bench token is refused") }
        let server = try await FakeBriaServer.start(
            token: "bench-token", options: FakeBriaServer.Options(latency: latency, imageSize: imageSize, noise: noise))
        let provider = BriaProvider(configuration: BriaConfiguration(
            base: server.baseURL, token: token, requestsPerMinute: requestsPerMinute, pollInterval: pollInterval,
            connectionsPerHost: connectionsPerHost))
        return BenchBria(provider: provider, server: server)
    }

    /// The HTTP requests the server answered so far, by kind.
    public var requests: (submits: Int, polls: Int, downloads: Int) {
        let counters = server.counters
        return (counters.submits, counters.polls, counters.downloads)
    }

    public func stopServer() async {
        await server.shutdown()
    }
}
