import AutoDirectorCore
import Foundation
import NIOCore

/// How `autodirector serve` runs (SPEC §15), with the limits that keep one client from holding
/// the service: each has a `serve` option and an environment variable (README, HTTP service).
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// `ADMIN_TOKEN`: when set, every mutating request must carry it.
    public var adminToken: String?
    /// The largest upload (`POST /ingest/csv`), bytes: `--max-body-mb`.
    public var maxBodyBytes: Int
    /// The largest JSON request body, bytes: `--max-json-kb`. A parsed body takes ~16× its size
    /// in memory, so it is limited apart from uploads (which stream to disk).
    public var maxJSONBytes: Int
    /// JSON bodies parsed at once: `--json-parses`. More wait up to `jsonParseWait`, then 503.
    public var jsonParses: Int
    public var jsonParseWait: Duration
    /// How long a request body may take to arrive, from its first read: `--body-timeout`; then 408.
    public var bodyTimeout: Duration
    /// After SIGTERM, how long running requests may take to finish before they are cancelled:
    /// `--shutdown-grace`. The service exits a little after it (a render pauses, threads end).
    public var shutdownGrace: Duration
    /// Who review actions made through the service are logged as.
    public var reviewer: String
    public var renderSettings: RenderSettings
    /// `FIBO_BUDGET`: the service's renders keep to today's part of it (SPEC §18).
    public var dailyBudget: DailyBudget?
    public var makeProvider: @Sendable () throws -> any RenderProvider
    /// What `host` resolves to: the system's resolver (tests give names of their own).
    var resolveHost: @Sendable (String) throws -> [SocketAddress] = ListenAddress.resolve

    public init(
        host: String = "127.0.0.1", port: Int = 8000, adminToken: String? = nil, maxBodyBytes: Int = 64 << 20, maxJSONBytes: Int = 1 << 20,
        jsonParses: Int = 4, jsonParseWait: Duration = .seconds(2), bodyTimeout: Duration = .seconds(60), shutdownGrace: Duration = .seconds(5),
        reviewer: String = "api", renderSettings: RenderSettings = RenderSettings(), dailyBudget: DailyBudget? = nil,
        makeProvider: @escaping @Sendable () throws -> any RenderProvider
    ) {
        self.host = host
        self.port = port
        self.adminToken = adminToken.flatMap { $0.isEmpty ? nil : $0 }
        self.maxBodyBytes = maxBodyBytes
        self.maxJSONBytes = maxJSONBytes
        self.jsonParses = jsonParses
        self.jsonParseWait = jsonParseWait
        self.bodyTimeout = bodyTimeout
        self.shutdownGrace = shutdownGrace
        self.reviewer = reviewer
        self.renderSettings = renderSettings
        self.dailyBudget = dailyBudget
        self.makeProvider = makeProvider
    }

    /// Refuses what is unsafe or cannot work: a port out of range, a limit below one, and a host
    /// that resolves to anything but loopback without `ADMIN_TOKEN`.
    public func validate() throws {
        _ = try listenAddress()
    }

    /// The checked address the service binds (see `ListenAddress`).
    func listenAddress() throws -> SocketAddress {
        guard (1...65535).contains(port) || port == 0 else { throw ServerError("--port must be between 1 and 65535.") }
        guard maxBodyBytes > 0, maxJSONBytes > 0, jsonParses > 0 else { throw ServerError("Body limits and --json-parses must be at least 1.") }
        guard bodyTimeout > .zero, shutdownGrace >= .zero else { throw ServerError("--body-timeout must be positive and --shutdown-grace not negative.") }
        return try ListenAddress.choose(host: host, port: port, hasAdminToken: adminToken != nil, resolve: resolveHost)
    }
}

public struct ServerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
