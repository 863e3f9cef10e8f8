import AutoDirectorCore

/// The service's one render provider — one HTTP client and one rate limit for the provider's
/// key — made at its first use and shut down with the service. The background renders and
/// `POST /render/shot/sync` share it, so a request costs no client of its own.
actor ServiceProvider {
    private let make: @Sendable () throws -> any RenderProvider
    private var provider: (any RenderProvider)?
    private var stopped = false

    init(make: @escaping @Sendable () throws -> any RenderProvider) {
        self.make = make
    }

    /// The provider, made now when this is its first use (a failure is tried again next time).
    func get() throws -> any RenderProvider {
        if stopped { throw CancellationError() }
        if let provider { return provider }
        let made = try make()
        provider = made
        return made
    }

    /// Closes the provider's connections; it is not made again.
    func shutdown() async {
        stopped = true
        let closing = provider
        provider = nil
        await closing?.shutdown()
    }
}
