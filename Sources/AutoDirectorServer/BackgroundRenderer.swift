import AutoDirectorCore
import Foundation
import Logging

/// The worker pool inside the service: whenever a job is queued (by the service, the CLI or a
/// TUI), it is rendered in the background; requests that must answer after the render
/// (`/render/sync`) wait for their job. A job left by a stop (SIGTERM) resumes on the next start.
///
/// Jobs that other processes queue are seen through the project's change watcher: a commit by
/// another process, noticed within about half a second, makes it look for unfinished jobs (the
/// service's own routes start it themselves when they queue one).
actor BackgroundRenderer {
    /// How often the watcher asks whether anything was committed, jittered so that several
    /// services on one project do not ask in step.
    static let watchInterval: ClosedRange<Duration> = .milliseconds(400) ... .milliseconds(600)
    private let runner: EngineRunner
    private let settings: RenderSettings
    /// `FIBO_BUDGET`: each pass keeps to what today has left.
    private let dailyBudget: DailyBudget?
    /// Stopped at the day's budget: nothing is started again before this (the next day, UTC).
    private var atBudgetUntil: Date?
    private let provider: ServiceProvider
    private let logger: Logger
    private var task: Task<Void, Never>?
    private var watcher: Task<Void, Never>?
    private var again = false
    private var waiters: [Int64: [CheckedContinuation<Void, Never>]] = [:]

    init(runner: EngineRunner, settings: RenderSettings, dailyBudget: DailyBudget?, provider: ServiceProvider, logger: Logger) {
        self.runner = runner
        self.settings = settings
        self.dailyBudget = dailyBudget
        self.provider = provider
        self.logger = logger
    }

    /// Starts rendering whatever is queued (or looks again once the running pass ends), and
    /// from then on watches for jobs queued by other processes. Stopped at the day's budget, it
    /// starts nothing before the next day.
    func kick() {
        if watcher == nil { watcher = Task { await self.watchForJobs() } }
        if let until = atBudgetUntil {
            if runner.engine.startOfToday < until { return }
            atBudgetUntil = nil
        }
        if task != nil {
            again = true
            return
        }
        task = Task { await self.renderUntilIdle() }
    }

    /// Returns once job `id` has finished (or the renderer stopped).
    func wait(for id: Int64) async {
        if let job = try? await runner.run({ try $0.job(id) }), job.state.isFinished { return }
        // Stopped at the day's budget: the job waits queued, and nothing renders it today.
        if task == nil && atBudgetUntil != nil { return }
        await withCheckedContinuation { waiters[id, default: []].append($0) }
    }

    /// Stops at the next checkpoint; a running job waits, queued, for the next start.
    func stop() async {
        let watching = watcher
        watching?.cancel()
        let running = task
        running?.cancel()
        await watching?.value
        await running?.value
    }

    /// Polls the change watcher; after a commit by anyone, renders what is left unfinished.
    private func watchForJobs() async {
        let changes: any ChangeWatching
        do { changes = try await runner.run { try $0.changeWatcher() } } catch {
            logger.error("cannot watch the project for jobs queued elsewhere: \(TextSanitizer.visible(String(describing: error), limit: 300))")
            return
        }
        while !Task.isCancelled {
            let (low, high) = (Self.watchInterval.lowerBound, Self.watchInterval.upperBound)
            do { try await Task.sleep(for: low + (high - low) * Double.random(in: 0...1)) } catch { return }
            guard (try? await runner.run({ _ in try changes.changed() })) == true else { continue }
            if task != nil {
                again = true
            } else if (try? await runner.run({ try $0.hasUnfinishedJobs() })) == true {
                kick()
            }
        }
    }

    private func renderUntilIdle() async {
        defer { finish() }
        let provider: any RenderProvider
        do { provider = try await self.provider.get() } catch {
            logger.error("cannot start the render provider: \(TextSanitizer.visible(String(describing: error), limit: 300))")
            return
        }
        let engine = runner.engine
        while !Task.isCancelled {
            again = false
            do {
                var settings = self.settings
                let day = engine.startOfToday
                if let daily = dailyBudget { settings.budget = try await runner.run { try $0.todaysGuard(daily) } }
                let results = try await engine.runPendingJobs(provider: provider, settings: settings)
                for (id, state) in results {
                    logger.info("render job \(id) \(state.rawValue)")
                    resume(id)
                }
                if let budget = settings.budget, budget.isExhausted {
                    atBudgetUntil = day.addingTimeInterval(86_400)
                    again = false
                    logger.warning("render stopped at the budget (\(budget.name)): the rest waits queued until tomorrow (UTC) or a restart with a higher FIBO_BUDGET")
                    break
                }
                if results.isEmpty && !again { break }
            } catch EngineError.renderBusy {
                // Another process renders this project; its jobs finish there. Look again soon.
                try? await Task.sleep(for: .seconds(1))
            } catch {
                logger.error("render failed: \(TextSanitizer.visible(String(describing: error), limit: 300))")
                break
            }
        }
        // The provider stays open for the next pass and the service's other renders; the
        // service closes it when it stops.
    }

    private func resume(_ id: Int64) {
        for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.resume() }
    }

    private func finish() {
        task = nil
        // Whoever still waits re-reads its job (it may have been cancelled, or left queued).
        for (_, list) in waiters { for waiter in list { waiter.resume() } }
        waiters = [:]
        if again && !Task.isCancelled { kick() }
    }
}
