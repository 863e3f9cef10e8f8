import ArgumentParser
import AutoDirectorCore
import Foundation

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the latest version of shots, a batch, or everything pending, with the worker pool.",
        discussion: """
            Queues a job for versions not rendered yet (all with --force), then works through every pending job,
            resuming any interrupted by a crash. Renders are cached by spec hash: a rendered hash is never sent again.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var render: RenderOptions
    @OptionGroup var cost: BudgetOptions
    @OptionGroup var progress: WaitOptions

    @Argument(help: "Shot ids (default: every planned shot, or the batch).")
    var shots: [String] = []

    @Option(name: .long, help: "Only the shots of this batch.")
    var batch: String?

    @Flag(name: .long, help: "Render again even when an image exists for the hash.")
    var force = false

    @Flag(name: .customLong("dry-run"), help: "Say how many provider calls the render would make, and their cost at $FIBO_PRICE_PER_IMAGE; queue nothing.")
    var dryRun = false

    func run() async throws {
        let (project, shots, batch, force, render) = (project, shots, batch, force, render)
        let prices = try render.prices()
        let (engine, estimate) = try await CommandContext.blocking { () throws -> (Engine, RenderEstimate) in
            let engine = try project.engine()
            return (engine, try engine.renderEstimate(shots: shots, batchID: batch, force: force, prices: prices))
        }
        if dryRun {
            if output.json {
                Print.json([
                    "provider_calls": .number(Double(estimate.calls)), "versions": .number(Double(estimate.versions)),
                    "cached": .number(Double(estimate.cached)), "cost": estimate.cost.map(JSONValue.number) ?? .null,
                    "calls_by_kind": .object(JSONObject(estimate.callsByKind.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number(Double($0.value))) })),
                ])
            } else {
                Print.line("Would make \(estimate.sentence)\(prices == nil && estimate.calls > 0 ? " (set FIBO_PRICE_PER_IMAGE for the cost)" : "").")
            }
            return
        }
        let budget = try await cost.spendGuard(engine, prices: prices)
        try render.announce(estimate, budget: budget, json: output.json)
        let jobID = try await CommandContext.blocking { try engine.enqueueRender(shots: shots, batchID: batch, force: force) }
        if let jobID, !output.json { Print.console.error("Queued job \(jobID).") }
        try await render.runPendingJobs(engine, json: output.json, wait: progress, budget: budget)
    }
}

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List render jobs, or show one job's items.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "A job id: show its failed and unfinished items.")
    var job: Int64?

    @Flag(name: .long, help: "With a job id: every item, those rendered too (on a shared project, with the box that rendered it).")
    var all = false

    func validate() throws {
        if all && job == nil { throw ValidationError("--all lists one job's items: give a job id.") }
    }

    func run() throws {
        let engine = try project.engine()
        if let job {
            let found = try engine.job(job)
            let items = try engine.jobItems(job, states: all ? nil : [.failed, .blocked, .cancelled, .queued, .running])
            if output.json {
                var object = JSONRepresentation.job(found).objectValue ?? JSONObject()
                object[all ? "items" : "unfinished_or_failed"] = .array(items.map(JSONRepresentation.item))
                Print.json(.object(object))
                return
            }
            Print.line(JobSummary.line(found))
            if let reason = found.reason { Print.line("Reason: \(TextSanitizer.visible(reason))") }
            if !items.isEmpty {
                // A shared project names the render box that holds each item.
                let boxes = items.contains { $0.box != nil }
                Print.table(["SHOT", "VER", "STATE", "ATTEMPTS", "REQUEST"] + (boxes ? ["BOX"] : []) + ["ERROR"], items.map {
                    [$0.shotID, "v\($0.version)", $0.state.rawValue, String($0.attempts), $0.requestID ?? "-"] + (boxes ? [$0.box ?? "-"] : [])
                        + [$0.error ?? "-"]
                }, maxCellWidth: 80)
            }
            return
        }
        let jobs = try engine.jobs()
        if output.json {
            Print.json(.array(jobs.map(JSONRepresentation.job)))
            return
        }
        Print.table(["JOB", "STATE", "FINISHED", "RENDERED", "CACHED", "FAILED", "PROVIDER", "CREATED"], jobs.map { job in
            [String(job.id), job.state.rawValue, "\(job.finished)/\(job.total)", String(job.counts[.done] ?? 0), String(job.counts[.cached] ?? 0),
             String((job.counts[.failed] ?? 0) + (job.counts[.blocked] ?? 0)), job.provider ?? "-", job.createdAt.iso8601]
        })
    }
}

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a queued or running render job.")

    @OptionGroup var project: ProjectOptions

    @Argument(help: "The job id.")
    var job: Int64

    func run() throws {
        if try project.engine().cancelJob(job) {
            Print.line("Cancelled job \(job); a running renderer stops at its next checkpoint.")
        } else {
            throw CommandFailure(message: "Job \(job) has already ended; nothing to cancel.")
        }
    }
}

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Queue a job's failed, blocked and cancelled items again, and render them.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var render: RenderOptions
    @OptionGroup var cost: BudgetOptions
    @OptionGroup var progress: WaitOptions

    @Argument(help: "The job id.")
    var job: Int64

    func run() async throws {
        let (project, job) = (project, job)
        let (engine, count) = try await CommandContext.blocking { () throws -> (Engine, Int) in
            let engine = try project.engine()
            return (engine, try engine.retryJob(job))
        }
        guard count > 0 else { throw CommandFailure(message: "Job \(job) has no failed, blocked or cancelled items to retry.") }
        if !output.json { Print.console.error("Queued \(count) item\(count == 1 ? "" : "s") of job \(job) again.") }
        let budget = try await cost.spendGuard(engine, prices: try render.prices())
        try await render.runPendingJobs(engine, json: output.json, wait: progress, budget: budget)
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Ingest a file, plan it, render every shot and wait: the whole pipeline in one command.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var render: RenderOptions
    @OptionGroup var cost: BudgetOptions
    @OptionGroup var progress: WaitOptions

    @Argument(help: "The input file (.csv, .json, .jsonl).")
    var file: String

    @Option(name: .long, help: "A preset id for planning.")
    var preset: String?

    @Flag(name: .customLong("no-tui"), help: "Stay headless on a terminal: print progress instead of opening the terminal UI.")
    var noTUI = false

    func run() async throws {
        let (project, file, preset) = (project, file, preset)
        let (engine, ingest, plan) = try await CommandContext.blocking { () throws -> (Engine, Engine.IngestResult, PlanSummary) in
            let engine = try project.engine(create: true)
            let ingest = try engine.ingest(URL(fileURLWithPath: file))
            return (engine, ingest, try engine.plan(batchID: ingest.batchID, preset: preset))
        }
        if !output.json {
            Print.console.error("Batch \(ingest.batchID): \(plan.shots) shots planned (\(plan.created) new, \(plan.updated) new versions).")
        }
        let prices = try render.prices()
        let estimate = try await CommandContext.blocking { try engine.renderEstimate(batchID: ingest.batchID, prices: prices) }
        let budget = try await cost.spendGuard(engine, prices: prices)
        try render.announce(estimate, budget: budget, json: output.json)
        _ = try await CommandContext.blocking { try engine.enqueueRender(batchID: ingest.batchID) }
        let console = CommandContext.current.console
        if !noTUI, !output.json, console.isTerminal, isatty(STDIN_FILENO) == 1 {
            try await TUILauncher.open(engine, batchID: ingest.batchID, render: render)
            return
        }
        try await render.runPendingJobs(engine, json: output.json, wait: progress, budget: budget)
    }
}
