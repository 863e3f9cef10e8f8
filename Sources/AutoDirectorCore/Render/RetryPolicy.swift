/// When to try a failed render again (SPEC §7): retryable failures get exponential backoff
/// with jitter, honouring the provider's Retry-After, up to a bounded number of attempts.
/// The jitter's randomness is injected, so the policy itself is deterministic under test.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Returns a number in [0, 1).
    public var random: @Sendable () -> Double

    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 30, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.random = random
    }

    /// Seconds to wait before attempt `attempt + 1` after `failure`, or nil to stop.
    public func delay(after failure: RenderFailure, attempt: Int) -> Double? {
        guard case .retryable(let retryAfter) = failure.kind, attempt < maxAttempts else { return nil }
        if let retryAfter { return min(maxDelay, max(0, retryAfter)) }
        var exponential = baseDelay
        for _ in 1..<max(1, attempt) { exponential *= 2 }
        let capped = min(maxDelay, exponential)
        // "Equal jitter": half fixed, half random, so retries spread out but never collapse to 0.
        return capped / 2 + capped / 2 * random()
    }
}
