import Synchronization

/// A token bucket as a virtual schedule (GCRA): requests are spaced `60 / perMinute` seconds
/// apart, with bursts of up to `burst` at once after a quiet spell. Pure: time is passed in.
struct TokenBucket: Sendable {
    let interval: Double
    let burst: Int
    /// When the bucket would next be empty if every reservation so far had been used.
    private var theoreticalArrival = -Double.infinity

    init(perMinute: Double, burst: Int? = nil) {
        interval = 60 / max(perMinute, 0.001)
        self.burst = max(1, burst ?? Int(perMinute / 60))
    }

    /// Reserves one request at `now` (seconds); returns how long to wait before sending it.
    mutating func reserve(at now: Double) -> Double {
        let arrival = max(theoreticalArrival, now)
        theoreticalArrival = arrival + interval
        return max(0, arrival - Double(burst - 1) * interval - now)
    }
}

/// Paces the requests to one endpoint (Bria limits requests per minute per endpoint, and
/// status polls count): waits for a token instead of sending and backing off after 429. A
/// shared project's boxes share one schedule (`RequestPacer`); alone, the process keeps its own.
final class RateLimiter: Sendable {
    let endpoint: String
    let perMinute: Double
    private let bucket: Mutex<TokenBucket>
    private let origin = ContinuousClock.now

    init(endpoint: String, perMinute: Double) {
        self.endpoint = endpoint
        self.perMinute = perMinute
        bucket = Mutex(TokenBucket(perMinute: perMinute))
    }

    func acquire(sharedBy pacer: (any RequestPacer)? = nil) async throws {
        let wait: Duration
        if let pacer {
            do {
                wait = try await pacer.reserve(endpoint: endpoint, perMinute: perMinute, burst: bucket.withLock { $0.burst })
            } catch {
                if error is CancellationError { throw error }
                // Nothing was sent: safe to try again.
                throw RenderFailure(.retryable(retryAfter: nil), "the shared rate limit could not be read: \(error)")
            }
        } else {
            let now = (ContinuousClock.now - origin).seconds
            wait = .seconds(bucket.withLock { $0.reserve(at: now) })
        }
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}
