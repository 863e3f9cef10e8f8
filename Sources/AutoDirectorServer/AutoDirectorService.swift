import AutoDirectorCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `autodirector serve` (SPEC §15): the reference's HTTP API and what it lacks, on Hummingbird 2.
/// Engine calls run on a thread pool of their own; renders run in the background and are seen by
/// the CLI and open TUIs (one project database), as their changes are seen here. SIGTERM (or
/// SIGINT) stops accepting and lets running requests finish for `--shutdown-grace`; then the
/// requests still running are cancelled (a body still arriving, a client still reading, an
/// engine call not waited for), the render job pauses (it resumes on the next start) and it returns.
public enum AutoDirectorService {
    /// `onRunning` is told the port once the server listens (0 asked for an ephemeral one).
    public static func run(
        engine: Engine, options: ServerOptions, logger: Logger, gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let address = try options.listenAddress()
        let runner = EngineRunner(engine: engine, threads: 4)
        let provider = ServiceProvider(make: options.makeProvider)
        let renderer = BackgroundRenderer(
            runner: runner, settings: options.renderSettings, dailyBudget: options.dailyBudget, provider: provider, logger: logger)
        let context = ServiceContext(runner: runner, renderer: renderer, provider: provider, options: options, startedAt: .now)

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger, redaction: PathRedaction(projectDirectory: engine.projectDirectory)))
        router.add(middleware: TransferCodingMiddleware())
        router.add(middleware: AdminTokenMiddleware(token: options.adminToken))
        let routes = ServiceRoutes(router)
        context.batchRoutes(routes)
        context.shotRoutes(routes)
        context.noteRoutes(routes)
        context.assignmentRoutes(routes)
        context.configRoutes(routes)
        context.renderRoutes(routes)
        routes.refuseOtherMethods()

        let host = address.ipAddress ?? options.host
        let refusedBind = Mutex<ServerError?>(nil)
        let app = Application(
            router: router,
            // A client that sends or reads nothing for 30 s is disconnected (a slow client holds
            // no connection forever); one that sends slowly meets --body-timeout.
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(host, port: options.port), serverName: "autodirector"),
            onServerRunning: { channel in
                // What the socket is bound to, not what was asked for.
                do { try ListenAddress.requireLoopback(channel.localAddress, hasAdminToken: options.adminToken != nil) } catch let error as ServerError {
                    refusedBind.withLock { $0 = error }
                    try? await channel.close()
                    return
                } catch {}
                let port = channel.localAddress?.port ?? options.port
                logger.info("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port) (project \(engine.projectDirectory.lastPathComponent))")
                await onRunning(port)
            },
            logger: logger)
        // Jobs left queued by an earlier stop (or by the CLI) resume now.
        await renderer.kick()
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
        group.maximumGracefulShutdownDuration = options.shutdownGrace
        var failure: (any Error)?
        do { try await ServiceGroup(configuration: group).run() } catch { failure = error }
        await stop(renderer: renderer, provider: provider, runner: runner, logger: logger)
        if let refused = refusedBind.withLock({ $0 }) { throw refused }
        if let failure { throw failure }
        logger.info("stopped")
    }

    /// Pauses the render job, closes the provider and ends the engine's threads, each waited for
    /// a bounded time: a call that does not return (a provider that hangs, a runaway engine
    /// call) is left to end with the process rather than keep it alive.
    private static func stop(renderer: BackgroundRenderer, provider: ServiceProvider, runner: EngineRunner, logger: Logger) async {
        let paused = Outcome<Bool>()
        let rendering = Task { await renderer.stop(); paused.settle(.success(true)) }
        let renderPaused = await withCheckedContinuation { continuation in
            paused.wait(continuation)
            Task {
                try? await Task.sleep(for: .seconds(3))
                paused.settle(.success(false))
            }
        }
        if !renderPaused {
            rendering.cancel()
            logger.warning("the render job did not pause within 3 s; it resumes on the next start")
        }
        await provider.shutdown()
        if await !runner.shutdown(within: .seconds(2)) {
            logger.warning("an engine call was still running 2 s after the stop; it ends with the process, its request unanswered")
        }
    }
}
