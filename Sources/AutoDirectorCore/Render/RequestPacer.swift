/// Paces requests to a provider's endpoint under its requests-per-minute limit for everyone who
/// shares the pacer: on a shared project, every render box (Bria limits an account, not a
/// machine, so three boxes must not send three times the limit).
public protocol RequestPacer: Sendable {
    /// Reserves the next request to `endpoint` under a limit of `perMinute` with bursts of up
    /// to `burst`; returns how long to wait before sending it.
    func reserve(endpoint: String, perMinute: Double, burst: Int) async throws -> Duration
}

/// A store that keeps the pacing schedule every process shares (a shared project's database).
protocol SharedRequestPacing: Sendable {
    /// The generic cell rate algorithm on one row per endpoint: the theoretical arrival time
    /// moves on by `60 / perMinute` seconds per request, on the database's clock. Returns the
    /// seconds to wait.
    func reserveRequest(endpoint: String, perMinute: Double, burst: Int) throws -> Double
}

/// The pacer of a shared project, kept in its database.
struct StoreRequestPacer: RequestPacer {
    let store: any SharedRequestPacing

    func reserve(endpoint: String, perMinute: Double, burst: Int) async throws -> Duration {
        let store = self.store
        let seconds = try await Blocking.run { try store.reserveRequest(endpoint: endpoint, perMinute: perMinute, burst: burst) }
        return .milliseconds(Int64((max(0, seconds) * 1000).rounded(.up)))
    }
}
