import ArgumentParser
import AutoDirectorCore
import Foundation

/// Provider and worker pool settings shared by the commands that render (and the TUI, which
/// renders behind its screen).
struct RenderOptions: ParsableArguments {
    @Option(name: .long, help: "Render provider (default: $FIBO_PROVIDER, else mock).")
    var provider: ProviderName?

    @Option(name: .long, help: "Renders in flight at once (default: $FIBO_CONCURRENCY, else 4).")
    var concurrency: Int?

    /// Options made in code (`serve` takes its own flags): every property set, as ArgumentParser
    /// refuses to read one it did not parse.
    static func given(provider: ProviderName?, concurrency: Int?) -> RenderOptions {
        var options = RenderOptions()
        options.provider = provider
        options.concurrency = concurrency
        return options
    }

    func validate() throws {
        if let concurrency, concurrency < 1 || concurrency > 1024 { throw ValidationError("--concurrency must be between 1 and 1024.") }
    }

    /// The prices of `FIBO_PRICE_PER_IMAGE`, when set.
    func prices() throws -> ImagePrices? {
        guard let text = CommandContext.current.environment["FIBO_PRICE_PER_IMAGE"], !text.isEmpty else { return nil }
        do { return try ImagePrices(parsing: text) } catch let problem as ImagePrices.Problem { throw CommandFailure(message: problem.description) }
    }

    /// Says what a render will call and cost before it starts (for more than one shot), and
    /// refuses one that would cost more than the budget left.
    func announce(_ estimate: RenderEstimate, budget: SpendGuard?, json: Bool) throws {
        if let refusal = budget?.refusal(estimate) { throw CommandFailure(message: refusal) }
        // Every version the render brings to an image, the cached ones included: "Rendering 3
        // versions: 2 provider calls (1 cached)". Nothing to render says so itself.
        let versions = estimate.versions + estimate.cached
        if estimate.versions > 0 && versions > 1 && !json { Print.console.error("Rendering \(versions) versions: \(estimate.sentence).") }
    }

    func makeProvider(concurrency: Int) throws -> any RenderProvider {
        let environment = CommandContext.current.environment
        let name: ProviderName
        if let provider {
            name = provider
        } else if let text = environment["FIBO_PROVIDER"], !text.isEmpty {
            guard let named = ProviderName(rawValue: text) else {
                throw CommandFailure(message: "Unknown provider \(TextSanitizer.quoted(text)) (from FIBO_PROVIDER); available: \(ProviderName.list).")
            }
            name = named
        } else {
            name = .mock
        }
        switch name {
        case .mock:
            return try mockProvider()
        case .bria:
            do {
                var configuration = try BriaConfiguration.fromEnvironment(environment)
                configuration.connectionsPerHost = max(8, concurrency)
                return BriaProvider(configuration: configuration)
            } catch let problem as BriaConfiguration.Problem {
                throw CommandFailure(message: problem.description)
            }
        }
    }

    /// The prompt model of the chosen provider (SPEC §18): Bria's, or the mock's offline.
    func makePromptModel() throws -> any PromptModel {
        guard let model = try makeProvider(concurrency: 1) as? any PromptModel else {
            throw CommandFailure(message: "This provider has no prompt model.")
        }
        return model
    }

    /// Releases a prompt model's connections (a provider's).
    func shutdown(_ model: any PromptModel) async {
        await (model as? any RenderProvider)?.shutdown()
    }

    private func mockProvider() throws -> MockProvider {
        var latency = Duration.zero
        if let text = CommandContext.current.environment["FIBO_MOCK_LATENCY_MS"] {
            guard let milliseconds = Int(text), milliseconds >= 0, milliseconds <= 600_000 else {
                throw CommandFailure(message: "FIBO_MOCK_LATENCY_MS must be a number of milliseconds (got \(TextSanitizer.quoted(text))).")
            }
            latency = .milliseconds(milliseconds)
        }
        return MockProvider(latency: latency)
    }

    /// The worker pool's settings: the engine reads them from the environment; `--concurrency`
    /// wins over `FIBO_CONCURRENCY`.
    func settings() throws -> RenderSettings {
        do {
            return try RenderSettings.fromEnvironment(CommandContext.current.environment, concurrency: concurrency)
        } catch let problem as RenderSettings.Problem {
            throw CommandFailure(message: problem.description)
        }
    }

    /// Runs every pending job, printing progress when asked (`--wait`), then one line per job.
    /// Fails (exit 1) when a job ends with failed items.
    func runPendingJobs(_ engine: Engine, json: Bool, wait: WaitOptions, budget: SpendGuard? = nil) async throws {
        var settings = try settings()
        settings.budget = budget
        let provider = try makeProvider(concurrency: settings.concurrency)
        let console = CommandContext.current.console
        let showProgress = wait.wait && !json
        let (events, continuation) = AsyncStream<RenderEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let printer = Task { await ProgressPrinter(console: console, enabled: showProgress).consume(events) }
        let results: [(jobID: Int64, state: RenderJob.State)]
        do {
            results = try await engine.runPendingJobs(provider: provider, settings: settings, events: continuation)
            await provider.shutdown()
        } catch {
            await provider.shutdown()
            continuation.finish()
            await printer.value
            throw error
        }
        continuation.finish()
        await printer.value
        var failed: [Int64] = []
        var jobs: [JSONValue] = []
        let finished = try await CommandContext.blocking { try results.map { try engine.job($0.jobID) } }
        for job in finished {
            let jobID = job.id
            if job.state != .done { failed.append(jobID) }
            if json { jobs.append(JSONRepresentation.job(job)) } else { Print.line(JobSummary.line(job)) }
        }
        if json { Print.json(.array(jobs)) }
        if results.isEmpty && !json { Print.line("Nothing to render.") }
        if let budget = settings.budget, budget.isExhausted {
            let waiting = results.filter { [.queued, .running].contains($0.state) }.map { String($0.jobID) }
            throw CommandFailure(message: """
                Stopped at the budget (\(budget.name)): \(ImagePrices.format(budget.spent)) committed to provider calls. \
                The rest waits queued\(waiting.isEmpty ? "" : " in job \(waiting.joined(separator: ", "))"); raise the budget and run `autodirector render` to go on.
                """)
        }
        if !failed.isEmpty {
            throw CommandFailure(message: "Render job\(failed.count == 1 ? "" : "s") \(failed.map(String.init).joined(separator: ", ")) did not finish cleanly; see `autodirector jobs JOB`.")
        }
    }
}

/// `--wait`, on the commands that wait for their renders in the foreground (`render`, `retry`,
/// `run`); the TUI and the service render behind, so they have none.
struct WaitOptions: ParsableArguments {
    @Flag(name: .long, help: "Show progress while rendering: a bar on a terminal, plain lines otherwise.")
    var wait = false
}

/// One line about a job, for `render`, `retry`, `run` and `jobs`.
enum JobSummary {
    static func line(_ job: RenderJob) -> String {
        let c = job.counts
        return "Job \(job.id) \(job.state.rawValue): \(c[.done] ?? 0) rendered, \(c[.cached] ?? 0) cached, "
            + "\(c[.failed] ?? 0) failed, \(c[.blocked] ?? 0) blocked, \(c[.cancelled] ?? 0) cancelled of \(job.total)"
            + (job.retries > 0 ? "; \(job.retries) retr\(job.retries == 1 ? "y" : "ies")." : ".")
    }
}

/// `--budget`, on the commands that render in the foreground and wait (`render`, `run`, `retry`,
/// `variants`); with `FIBO_BUDGET`, the most their provider calls may cost (SPEC §18).
struct BudgetOptions: ParsableArguments {
    @Option(name: .long, help: "Spend at most this on provider calls, at $FIBO_PRICE_PER_IMAGE prices: refuse to start past it, stop at it.")
    var budget: Double?

    func validate() throws {
        if let budget, !(budget >= 0 && budget.isFinite) { throw ValidationError("--budget must be an amount, 0 or more.") }
    }

    /// The budget this run may spend: `--budget`, and `FIBO_BUDGET` (per project per day) less
    /// what today's renders cost; the tighter of the two. Nil when neither is set.
    func spendGuard(_ engine: Engine, prices: ImagePrices?) async throws -> SpendGuard? {
        let daily = try Self.dailyBudget(prices: prices, needed: budget != nil)
        guard budget != nil || daily != nil, let prices else { return nil }
        var guards: [SpendGuard] = []
        if let budget { guards.append(SpendGuard(limit: budget, prices: prices, name: "--budget \(ImagePrices.format(budget))")) }
        if let daily { guards.append(try await CommandContext.blocking { try engine.todaysGuard(daily) }) }
        return guards.min { $0.remaining < $1.remaining }
    }

    /// `FIBO_BUDGET` at these prices, when set (the worker and the TUI keep to it too). A
    /// budget without prices is refused: it could not be kept.
    static func dailyBudget(prices: ImagePrices?, needed: Bool = false) throws -> DailyBudget? {
        let limit: Double?
        do { limit = try DailyBudget.limit(from: CommandContext.current.environment) } catch { throw CommandFailure(message: error.description) }
        guard limit != nil || needed else { return nil }
        guard let prices else {
            throw CommandFailure(message: "A budget needs prices: set FIBO_PRICE_PER_IMAGE (0.04, or standard=0.04,lite=0.02,standard/4MP=0.08).")
        }
        return limit.map { DailyBudget(limit: $0, prices: prices) }
    }
}
