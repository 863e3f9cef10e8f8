/// A shared project's database out of reach while a worker renders: a restart or a network
/// cut, which passes. The worker waits and goes on (see `Engine.runLeased`).
enum DatabaseOutage {
    /// The outage that stopped a render loop, if that is what stopped it (alone, or with the
    /// commit of what it had finished).
    static func behind(_ error: any Error) -> StoreError? {
        if let error = error as? StoreError { return error.isUnreachable ? error : nil }
        if let both = error as? StoppedWithCommitFailure { return behind(both.error) ?? behind(both.commitFailure) }
        return nil
    }
}

/// A worker's waits while the database cannot be reached: 1, 2, 4 … 30 s.
struct OutageBackoff {
    private(set) var current: Duration = .seconds(1)

    mutating func next() -> Duration {
        defer { current = min(current * 2, .seconds(30)) }
        return current
    }

    mutating func reset() { current = .seconds(1) }
}
