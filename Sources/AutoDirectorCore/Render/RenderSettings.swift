/// How the worker pool runs.
public struct RenderSettings: Sendable {
    /// Renders in flight at once (`--concurrency`, `FIBO_CONCURRENCY`).
    public var concurrency: Int
    /// Seconds one attempt may take (`FIBO_TIMEOUT_SECONDS`).
    public var itemTimeout: Double
    public var retry: RetryPolicy
    /// Finished items are committed in groups of this many, or every `flushInterval` seconds.
    public var flushEvery: Int
    public var flushInterval: Double
    /// Rendering behind an interactive UI: an in-process provider then leaves one core free.
    public var background = false
    /// On a shared project: how long a claimed item stays this box's without a heartbeat
    /// (`AUTODIRECTOR_LEASE_SECONDS`, default 30; heartbeats every third of it), and how often
    /// each box's reaper returns expired leases to the queue (`AUTODIRECTOR_REAPER_SECONDS`,
    /// default 5). A dead box's items are rendered again within about lease + reaper interval.
    public var lease: Duration = .seconds(30)
    public var reaperInterval: Duration = .seconds(5)
    /// On a shared project: items in flight at once across every box (`AUTODIRECTOR_MAX_IN_FLIGHT`;
    /// nil, no cap beyond each box's `concurrency`).
    public var maxInFlight: Int?
    /// Provider calls stop when this budget is spent (`--budget`, `FIBO_BUDGET`); the job waits
    /// queued to resume.
    public var budget: SpendGuard?

    public init(concurrency: Int = 4, itemTimeout: Double = 300, retry: RetryPolicy = RetryPolicy(), flushEvery: Int = 20000, flushInterval: Double = 0.5) {
        self.concurrency = max(1, concurrency)
        self.itemTimeout = itemTimeout
        self.retry = retry
        self.flushEvery = max(1, flushEvery)
        self.flushInterval = flushInterval
    }
}

extension RenderSettings {
    /// A render setting in the environment that cannot be used: the message names the variable.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The worker pool's settings from the environment, as `BriaConfiguration.fromEnvironment`
    /// reads the provider's: `FIBO_CONCURRENCY` (1 to 1024, default 4) and
    /// `FIBO_TIMEOUT_SECONDS` (positive, default 300). `concurrency`, when given (a command's
    /// `--concurrency`), wins over the variable, which is then not read.
    public static func fromEnvironment(_ environment: [String: String], concurrency: Int? = nil) throws -> RenderSettings {
        var value = concurrency
        if value == nil, let text = environment["FIBO_CONCURRENCY"] {
            guard let parsed = Int(text), parsed >= 1, parsed <= 1024 else {
                throw Problem(description: "FIBO_CONCURRENCY must be a number from 1 to 1024 (got \(TextSanitizer.quoted(text))).")
            }
            value = parsed
        }
        var timeout = 300.0
        if let text = environment["FIBO_TIMEOUT_SECONDS"] {
            guard let parsed = Double(text), parsed > 0 else {
                throw Problem(description: "FIBO_TIMEOUT_SECONDS must be a positive number (got \(TextSanitizer.quoted(text))).")
            }
            timeout = parsed
        }
        var settings = RenderSettings(concurrency: value ?? 4, itemTimeout: timeout)
        for (name, keyPath) in [("AUTODIRECTOR_LEASE_SECONDS", \RenderSettings.lease), ("AUTODIRECTOR_REAPER_SECONDS", \.reaperInterval)] {
            guard let text = environment[name] else { continue }
            guard let seconds = Double(text), seconds >= 0.1, seconds <= 86_400 else {
                throw Problem(description: "\(name) must be a number of seconds from 0.1 to 86400 (got \(TextSanitizer.quoted(text))).")
            }
            settings[keyPath: keyPath] = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let text = environment["AUTODIRECTOR_MAX_IN_FLIGHT"] {
            guard let cap = Int(text), cap >= 1, cap <= 1_000_000 else {
                throw Problem(description: "AUTODIRECTOR_MAX_IN_FLIGHT must be a number from 1 to 1000000 (got \(TextSanitizer.quoted(text))).")
            }
            settings.maxInFlight = cap
        }
        return settings
    }
}
