import Foundation

/// How the `bria` provider reaches Bria's API v2, from the environment (SPEC §7).
public struct BriaConfiguration: Sendable {
    public static let defaultBase = "https://engine.prod.bria-api.com/v2"

    /// `FIBO_API_BASE`, without a trailing slash.
    public var base: String
    public var token: BriaToken
    /// Requests per minute per endpoint (`FIBO_RATE_LIMIT_RPM`, default 60: pay-as-you-go).
    public var requestsPerMinute: Double
    /// Seconds between status polls after the first, immediate one (`FIBO_POLL_SECONDS`, default 2).
    public var pollInterval: Double
    /// Most HTTP connections kept to one host.
    public var connectionsPerHost: Int
    /// Largest image accepted, in bytes.
    public var maxImageBytes: Int

    public init(base: String = defaultBase, token: BriaToken, requestsPerMinute: Double = 60, pollInterval: Double = 2, connectionsPerHost: Int = 8, maxImageBytes: Int = 64 << 20) {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        self.token = token
        self.requestsPerMinute = requestsPerMinute
        self.pollInterval = pollInterval
        self.connectionsPerHost = max(1, connectionsPerHost)
        self.maxImageBytes = maxImageBytes
    }

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads `BRIA_API_TOKEN` (alias `FIBO_API_KEY`), `FIBO_API_BASE`, `FIBO_RATE_LIMIT_RPM`
    /// and `FIBO_POLL_SECONDS`. Errors name the variable, never its value when it is the token.
    public static func fromEnvironment(_ environment: [String: String]) throws -> BriaConfiguration {
        guard let text = environment["BRIA_API_TOKEN"] ?? environment["FIBO_API_KEY"] else {
            throw Problem(description: "The bria provider needs an API token: set BRIA_API_TOKEN (or FIBO_API_KEY).")
        }
        guard let token = BriaToken(text) else {
            throw Problem(description: "BRIA_API_TOKEN (or FIBO_API_KEY) is empty or holds control characters.")
        }
        var configuration = BriaConfiguration(token: token)
        if let base = environment["FIBO_API_BASE"] {
            guard let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw Problem(description: "FIBO_API_BASE must be an http or https URL (got \(TextSanitizer.quoted(base))).")
            }
            configuration = BriaConfiguration(base: base, token: token)
        }
        if let text = environment["FIBO_RATE_LIMIT_RPM"] {
            guard let value = Double(text), value >= 1, value <= 1_000_000 else {
                throw Problem(description: "FIBO_RATE_LIMIT_RPM must be a number of requests per minute from 1 to 1000000 (got \(TextSanitizer.quoted(text))).")
            }
            configuration.requestsPerMinute = value
        }
        if let text = environment["FIBO_POLL_SECONDS"] {
            guard let value = Double(text), value >= 0, value <= 60 else {
                throw Problem(description: "FIBO_POLL_SECONDS must be a number of seconds from 0 to 60 (got \(TextSanitizer.quoted(text))).")
            }
            configuration.pollInterval = value
        }
        return configuration
    }
}
