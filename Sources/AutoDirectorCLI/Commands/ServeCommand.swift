import ArgumentParser
import AutoDirectorCore
import AutoDirectorServer
import Foundation
import Logging

/// `autodirector serve`: the HTTP service on the project (SPEC §15).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the project over HTTP (the reference API and more); renders run in the background.",
        discussion: """
            Listens on 127.0.0.1 unless --host says otherwise; a host that resolves to anything but loopback needs \
            ADMIN_TOKEN, which every mutating request must then carry (X-Admin-Token or Authorization: Bearer). \
            SIGTERM or Ctrl-C stops accepting, lets running requests finish for --shutdown-grace seconds, cancels \
            the rest, pauses the render job (it resumes on the next start) and exits 0. One log line per request on \
            stderr. The project is created when missing.
            """)

    @OptionGroup var project: ProjectOptions

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0: any free one; the log says which).")
    var port = 8000

    @Option(name: .long, help: "Render provider (default: $FIBO_PROVIDER, else mock).")
    var provider: ProviderName?

    @Option(name: .long, help: "Renders in flight at once (default: $FIBO_CONCURRENCY, else 4).")
    var concurrency: Int?

    @Option(name: .customLong("max-body-mb"), help: "The largest upload (POST /ingest/csv), in MiB.")
    var maxBodyMB = 64

    @Option(name: .customLong("max-json-kb"), help: "The largest JSON request body, in KiB (default: $AUTODIRECTOR_MAX_JSON_KB, else 1024).")
    var maxJSONKB: Int?

    @Option(name: .customLong("json-parses"), help: "JSON bodies parsed at once; more wait up to 2 s, then get 503 (default: $AUTODIRECTOR_JSON_PARSES, else 4).")
    var jsonParses: Int?

    @Option(name: .customLong("body-timeout"), help: "Seconds a request body may take to arrive, then 408 (default: $AUTODIRECTOR_BODY_TIMEOUT, else 60).")
    var bodyTimeout: Double?

    @Option(name: .customLong("shutdown-grace"), help: "Seconds running requests may take to finish after SIGTERM before they are cancelled (default: $AUTODIRECTOR_SHUTDOWN_GRACE, else 5).")
    var shutdownGrace: Double?

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if !(1...16384).contains(maxBodyMB) { throw ValidationError("--max-body-mb must be between 1 and 16384.") }
        try Self.limits.forEach { try $0.check(self) }
        let render = RenderOptions.given(provider: provider, concurrency: concurrency)
        try render.validate()
    }

    func run() async throws {
        let context = CommandContext.current
        let render = RenderOptions.given(provider: provider, concurrency: concurrency)
        let settings = try render.settings()
        // Fails now, not at the first render, when the provider is not configured (a Bria token).
        try await render.makeProvider(concurrency: settings.concurrency).shutdown()
        let environment = context.environment
        let options = ServerOptions(
            host: host, port: port, adminToken: environment["ADMIN_TOKEN"], maxBodyBytes: maxBodyMB << 20,
            maxJSONBytes: Int(try Self.maxJSONKB.value(for: self, environment)) << 10,
            jsonParses: Int(try Self.jsonParses.value(for: self, environment)),
            bodyTimeout: .milliseconds(Int(try Self.bodyTimeout.value(for: self, environment) * 1000)),
            shutdownGrace: .milliseconds(Int(try Self.shutdownGrace.value(for: self, environment) * 1000)),
            reviewer: Reviewer.resolve(environment["AUTODIRECTOR_REVIEWER"]), renderSettings: settings,
            dailyBudget: try BudgetOptions.dailyBudget(prices: try render.prices()),
            makeProvider: { [render] in try CommandContext.$current.withValue(context) { try render.makeProvider(concurrency: settings.concurrency) } })
        do { try options.validate() } catch let error as ServerError { throw CommandFailure(message: error.description) }
        let project = self.project
        let engine = try await CommandContext.blocking { try project.engine(create: true) }
        var logger = Logger(label: "autodirector.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        do {
            try await AutoDirectorService.run(engine: engine, options: options, logger: logger)
        } catch let error as ServerError {
            throw CommandFailure(message: error.description)
        } catch {
            throw CommandFailure(message: "The service stopped: \(TextSanitizer.visible(String(describing: error), limit: 300))")
        }
    }
}
