import ArgumentParser
import AutoDirectorCore
import Foundation

/// `autodirector worker`: a render box (SPEC §16). On a shared project any number run beside
/// each other, each claiming items under a lease; on the embedded project it is `render` that
/// keeps waiting for work.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a render box: render queued work as it arrives, until SIGTERM or Ctrl-C.",
        discussion: """
            On a shared project (AUTODIRECTOR_DATABASE_URL) run one on every render box: each claims items with \
            FOR UPDATE SKIP LOCKED under a lease it renews by heartbeat (AUTODIRECTOR_LEASE_SECONDS, default 30), and \
            every box's reaper hands a dead box's items to the others (AUTODIRECTOR_REAPER_SECONDS, default 5). An item \
            whose paid submit was being sent when its box died is parked for reconciliation, never sent again; one \
            whose submit was accepted is taken over and polled. SIGTERM or Ctrl-C stops claiming, lets renders in \
            flight finish for --grace seconds, gives the rest back to the queue and exits 0; a second signal stops at \
            once. On the embedded project it is the one renderer, waiting for jobs queued by other commands. Under \
            FIBO_BUDGET (with FIBO_PRICE_PER_IMAGE) it renders what the day's budget pays for, then says so and waits for \
            the next day (UTC).
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var render: RenderOptions

    @Option(name: .long, help: "This box's name in `workers` and `jobs JOB` (default: the host name).")
    var name: String?

    @Option(name: .long, help: "Seconds renders in flight may take to finish after SIGTERM before they are cancelled.")
    var grace: Double = 30

    @Flag(name: .long, help: "Print each job's progress (a line at most once a second).")
    var progress = false

    func validate() throws {
        if let name, name.isEmpty || name.count > 100 || TextSanitizer.visible(name) != name {
            throw ValidationError("--name must be 1 to 100 printable characters.")
        }
        if !(grace >= 0 && grace <= 86_400) { throw ValidationError("--grace must be between 0 and 86400 seconds.") }
    }

    func run() async throws {
        // Listening first: a SIGTERM that comes while the box starts still stops it gracefully.
        let console = CommandContext.current.console
        let stop = StopSignal()
        let stopNow = StopSignal()
        let signals = StopSignals { [grace] count in
            if count == 1 {
                stop.stop()
                console.error("Stopping: claiming nothing more; renders in flight have \(Self.seconds(grace)) to finish (a second signal stops at once).")
                return grace
            }
            console.error("Stopping now: renders in flight are cancelled and given back.")
            return 0
        } expire: {
            stopNow.stop()
        }
        defer { signals.cancel() }
        let settings = try render.settings()
        guard let engine = try await Self.openProject(project, stop: stop, console: console) else {
            console.error("Worker stopped before its project's database answered.")
            return
        }
        let daily = try BudgetOptions.dailyBudget(prices: try render.prices())
        let provider = try render.makeProvider(concurrency: settings.concurrency)
        var options = WorkerOptions(name: name ?? WorkerOptions.defaultName)
        options.onOutage = { error, wait in
            console.error("\(error.description) Renders in flight were given up; trying again in \(Self.seconds(wait.seconds)).")
        }
        let shared = engine.isRenderFarm
        console.error(
            "Worker \(options.name) (pid \(getpid())): \(settings.concurrency) in flight"
                + (shared ? ", lease \(Self.seconds(settings.lease.seconds)), reaper every \(Self.seconds(settings.reaperInterval.seconds))." : ", embedded project.")
                + " Waiting for work; SIGTERM or Ctrl-C stops.")

        let (events, continuation) = AsyncStream<RenderEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let printer = Task { [progress] in await ProgressPrinter(console: console, enabled: progress).consume(events) }
        let work = Task {
            try await Self.work(engine, provider: provider, settings: settings, options: options, daily: daily, stop: stop, events: continuation)
        }
        // The grace is over (or a second signal came): what still renders is cancelled.
        let enforcer = Task {
            while !stopNow.isStopped, !Task.isCancelled { await stopNow.wait(upTo: .seconds(3600)) }
            if stopNow.isStopped { work.cancel() }
        }
        defer { enforcer.cancel() }
        let results: [(jobID: Int64, state: RenderJob.State)]
        do {
            results = try await work.value
        } catch {
            await provider.shutdown()
            continuation.finish()
            await printer.value
            throw error
        }
        await provider.shutdown()
        continuation.finish()
        await printer.value
        let jobs = try await CommandContext.blocking { try results.map { try engine.job($0.jobID) } }
        for job in jobs { Print.line(JobSummary.line(job)) }
        console.error("Worker \(options.name) stopped.")
    }

    /// Renders until `stop`; under `FIBO_BUDGET` a day's part at a time: at the budget the box
    /// says so, claims nothing more and waits for the next day (UTC) or a signal. What it did
    /// not render waits queued, for another box or for tomorrow.
    private static func work(
        _ engine: Engine, provider: any RenderProvider, settings: RenderSettings, options: WorkerOptions, daily: DailyBudget?, stop: StopSignal,
        events: AsyncStream<RenderEvent>.Continuation
    ) async throws -> [(jobID: Int64, state: RenderJob.State)] {
        guard let daily else {
            return try await engine.runWorker(provider: provider, settings: settings, options: options, keepWaiting: true, stop: stop, events: events)
        }
        let console = CommandContext.current.console
        var results: [(jobID: Int64, state: RenderJob.State)] = []
        while !stop.isStopped && !Task.isCancelled {
            var today = settings
            let day = engine.startOfToday
            let budget = try await CommandContext.blocking { try engine.todaysGuard(daily) }
            today.budget = budget
            if budget.remaining > 0 {
                for result in try await engine.runWorker(provider: provider, settings: today, options: options, keepWaiting: true, stop: stop, events: events)
                where !results.contains(where: { $0.jobID == result.jobID }) {
                    results.append(result)
                }
            }
            if stop.isStopped || Task.isCancelled { break }
            // A day that ended while it rendered: the new one has its own budget.
            if engine.startOfToday > day { continue }
            let tomorrow = day.addingTimeInterval(86_400)
            console.error("""
                At the day's budget (FIBO_BUDGET \(ImagePrices.format(daily.limit)), \(ImagePrices.format(budget.spent)) spent today): claiming \
                nothing more today; queued work waits until \(tomorrow.iso8601) or a restart with a higher FIBO_BUDGET.
                """)
            await stop.wait(upTo: .seconds(max(1, tomorrow.timeIntervalSinceNow)))
        }
        return results
    }

    /// Opens the project, waiting for a shared database that cannot be reached yet (a box that
    /// boots before its database): 1, 2, 4 … 30 s between tries, until it answers or a signal
    /// stops the box (nil).
    private static func openProject(_ project: ProjectOptions, stop: StopSignal, console: Console) async throws -> Engine? {
        var wait = 1.0
        while !stop.isStopped {
            do {
                return try await CommandContext.blocking { try project.engine() }
            } catch let error as StoreError where error.isUnreachable {
                console.error("\(error.description) Trying again in \(seconds(wait)).")
                await stop.wait(upTo: .seconds(wait))
                wait = min(wait * 2, 30)
            }
        }
        return nil
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }
}

/// SIGTERM and SIGINT, for a process that stops gracefully: each signal asks `onSignal` for
/// the seconds of grace left (given the count so far); `expire` runs when that grace ends, once.
final class StopSignals: @unchecked Sendable {
    // Mutated only on `queue`.
    private var sources: [any DispatchSourceSignal] = []
    private var count = 0
    private var timer: (any DispatchSourceTimer)?
    private var expired = false
    private let queue = DispatchQueue(label: "autodirector.stop-signals")

    init(onSignal: @escaping @Sendable (Int) -> Double, expire: @escaping @Sendable () -> Void) {
        queue.sync {
            for signo in [SIGTERM, SIGINT] {
                // The default action would end the process before anything is given back.
                signal(signo, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
                source.setEventHandler { [weak self] in
                    guard let self else { return }
                    count += 1
                    let grace = onSignal(count)
                    timer?.cancel()
                    let timer = DispatchSource.makeTimerSource(queue: queue)
                    timer.schedule(deadline: .now() + .milliseconds(Int(min(max(grace, 0), 86_400) * 1000)))
                    timer.setEventHandler { [weak self] in
                        guard let self, !expired else { return }
                        expired = true
                        expire()
                    }
                    self.timer = timer
                    timer.resume()
                }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Stops listening; the signals' default actions come back.
    func cancel() {
        queue.sync {
            timer?.cancel()
            timer = nil
            for source in sources { source.cancel() }
            sources = []
            for signo in [SIGTERM, SIGINT] { signal(signo, SIG_DFL) }
        }
    }
}
