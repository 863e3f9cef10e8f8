import AutoDirectorCore
import Foundation

/// How `autodirector serve` runs (SPEC §15).
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// `ADMIN_TOKEN`: when set, every mutating request must carry it.
    public var adminToken: String?
    /// The largest request body, uploads included (bytes).
    public var maxBodyBytes: Int
    /// Who review actions made through the service are logged as.
    public var reviewer: String
    public var renderSettings: RenderSettings
    public var makeProvider: @Sendable () throws -> any RenderProvider

    public init(
        host: String = "127.0.0.1", port: Int = 8000, adminToken: String? = nil, maxBodyBytes: Int = 64 << 20, reviewer: String = "api",
        renderSettings: RenderSettings = RenderSettings(), makeProvider: @escaping @Sendable () throws -> any RenderProvider
    ) {
        self.host = host
        self.port = port
        self.adminToken = adminToken.flatMap { $0.isEmpty ? nil : $0 }
        self.maxBodyBytes = maxBodyBytes
        self.reviewer = reviewer
        self.renderSettings = renderSettings
        self.makeProvider = makeProvider
    }

    /// Whether `host` only accepts connections from this machine.
    public var isLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// Refuses what is unsafe: a bind other than loopback without `ADMIN_TOKEN`.
    public func validate() throws {
        guard (1...65535).contains(port) || port == 0 else { throw ServerError("--port must be between 1 and 65535.") }
        if !isLoopback && adminToken == nil {
            throw ServerError(
                "Refusing to listen on \(TextSanitizer.visible(host, limit: 100)) without ADMIN_TOKEN: anyone who can reach it could approve, reject and re-render. Set ADMIN_TOKEN, or keep the default --host 127.0.0.1.")
        }
    }
}

public struct ServerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
