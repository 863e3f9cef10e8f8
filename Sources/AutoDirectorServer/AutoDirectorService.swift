import AutoDirectorCore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `autodirector serve` (SPEC §15): the reference's HTTP API and what it lacks, on Hummingbird 2.
/// Engine calls run on a thread pool of their own; renders run in the background and are seen by
/// the CLI and open TUIs (one project database), as their changes are seen here. SIGTERM (or
/// SIGINT) stops accepting, lets running requests finish, pauses the render job (it resumes on
/// the next start) and returns.
public enum AutoDirectorService {
    /// `onRunning` is told the port once the server listens (0 asked for an ephemeral one).
    public static func run(
        engine: Engine, options: ServerOptions, logger: Logger, gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try options.validate()
        let runner = EngineRunner(engine: engine, threads: 4)
        let renderer = BackgroundRenderer(runner: runner, settings: options.renderSettings, makeProvider: options.makeProvider, logger: logger)
        let context = ServiceContext(runner: runner, renderer: renderer, options: options, startedAt: .now)

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: AdminTokenMiddleware(token: options.adminToken))
        context.batchRoutes(router)
        context.shotRoutes(router)
        context.renderRoutes(router)

        let app = Application(
            router: router,
            // A client that sends or reads nothing for 30 s is disconnected (a slow client holds
            // no connection forever).
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "autodirector"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                logger.info("listening on http://\(options.host):\(port) (project \(engine.projectDirectory.lastPathComponent))")
                await onRunning(port)
            },
            logger: logger)
        // Jobs left queued by an earlier stop (or by the CLI) resume now.
        await renderer.kick()
        do {
            try await app.runService(gracefulShutdownSignals: gracefulShutdownSignals)
        } catch {
            await renderer.stop()
            await runner.shutdown()
            throw error
        }
        await renderer.stop()
        await runner.shutdown()
        logger.info("stopped")
    }
}
