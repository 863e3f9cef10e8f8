import ArgumentParser
import AutoDirectorCore
import AutoDirectorTUI
import Foundation

struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Open the terminal UI on the project: review, patch, re-render, compare, watch jobs, export.",
        discussion: "`autodirector` with no arguments on a terminal does the same. Press ? inside for every key.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var render: RenderOptions

    @Option(name: .long, help: "Show only this batch.")
    var batch: String?

    func run() async throws {
        let (project, batch) = (project, batch)
        let engine = try await CommandContext.blocking { () throws -> Engine in
            let engine = try project.engine()
            // Checked before the screen opens; the error names the batches there are.
            if let batch { _ = try engine.batch(batch) }
            return engine
        }
        try await TUILauncher.open(engine, batchID: batch, render: render)
    }
}

/// Opens the TUI for `tui`, `run` and a bare `autodirector`, with the render settings of the
/// command line; keymap problems are printed once the terminal is restored.
enum TUILauncher {
    static func open(_ engine: Engine, batchID: String?, render: RenderOptions) async throws {
        let context = CommandContext.current
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CommandFailure(message: "The terminal UI needs a terminal on stdin and stdout; use the commands (see --help), or `run --no-tui`.")
        }
        let settings = TUIApp.backgroundRenderSettings(try render.settings())
        // Checked now, so a missing token is reported before the screen opens.
        await (try render.makeProvider(concurrency: settings.concurrency)).shutdown()
        let reviewer = Reviewer.resolve(nil)
        let prices = try render.prices()
        let interpreter = EffectInterpreter.Configuration(
            reviewer: reviewer, exportDirectory: try engine.exportFolder(default: .workingDirectory), settings: settings, prices: prices,
            dailyBudget: try BudgetOptions.dailyBudget(prices: prices),
            makeProvider: { [render] in
                try CommandContext.$current.withValue(context) { try render.makeProvider(concurrency: settings.concurrency) }
            })
        // A shared project is named by its database, which every machine's TUI shows alike.
        let title = engine.database.map { "\($0.database) (shared)" } ?? engine.projectDirectory.lastPathComponent
        let outcome = try await TUIApp.run(engine: engine, options: TUIApp.Options(
            title: title, batchID: batchID, environment: context.environment, interpreter: interpreter, renderOnStart: true))
        for problem in outcome.problems { context.console.error("Keymap: \(problem)") }
        if let signal = outcome.signal { throw ExitCode(128 + signal) }
    }
}
