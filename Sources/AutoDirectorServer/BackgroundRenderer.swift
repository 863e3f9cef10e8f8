import AutoDirectorCore
import Foundation
import Logging

/// The worker pool inside the service: whenever a job is queued (by the service, the CLI or a
/// TUI), it is rendered in the background; requests that must answer after the render
/// (`/render/sync`) wait for their job. A job left by a stop (SIGTERM) resumes on the next start.
actor BackgroundRenderer {
    private let runner: EngineRunner
    private let settings: RenderSettings
    private let makeProvider: @Sendable () throws -> any RenderProvider
    private let logger: Logger
    private var task: Task<Void, Never>?
    private var again = false
    private var waiters: [Int64: [CheckedContinuation<Void, Never>]] = [:]

    init(runner: EngineRunner, settings: RenderSettings, makeProvider: @escaping @Sendable () throws -> any RenderProvider, logger: Logger) {
        self.runner = runner
        self.settings = settings
        self.makeProvider = makeProvider
        self.logger = logger
    }

    /// Starts rendering whatever is queued (or looks again once the running pass ends).
    func kick() {
        if task != nil {
            again = true
            return
        }
        task = Task { await self.renderUntilIdle() }
    }

    /// Returns once job `id` has finished (or the renderer stopped).
    func wait(for id: Int64) async {
        if let job = try? await runner.run({ try $0.job(id) }), job.state.isFinished { return }
        await withCheckedContinuation { waiters[id, default: []].append($0) }
    }

    /// Stops at the next checkpoint; a running job waits, queued, for the next start.
    func stop() async {
        let running = task
        running?.cancel()
        await running?.value
    }

    private func renderUntilIdle() async {
        defer { finish() }
        let provider: any RenderProvider
        do { provider = try makeProvider() } catch {
            logger.error("cannot start the render provider: \(TextSanitizer.visible(String(describing: error), limit: 300))")
            return
        }
        let engine = runner.engine
        while !Task.isCancelled {
            again = false
            do {
                let results = try await engine.runPendingJobs(provider: provider, settings: settings)
                for (id, state) in results {
                    logger.info("render job \(id) \(state.rawValue)")
                    resume(id)
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
        await provider.shutdown()
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
