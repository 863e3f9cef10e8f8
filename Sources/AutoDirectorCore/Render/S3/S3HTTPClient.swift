import AsyncHTTPClient
import NIOCore

/// The one HTTP client of the process for S3 requests: its connection pool is shared by every
/// `ArtifactFiles` (the engine's, the TUI's, `serve`'s) and lives as long as the process, so it
/// is never shut down. Redirects are not followed: S3 answers a wrong region with one, and a
/// signed request must not be re-sent elsewhere.
enum S3HTTPClient {
    static let shared: HTTPClient = {
        var settings = HTTPClient.Configuration()
        settings.timeout = .init(connect: .seconds(10), read: .seconds(60))
        settings.connectionPool = .init(idleTimeout: .seconds(60))
        settings.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
    }()
}
