import ArgumentParser
import AutoDirectorCore
import Foundation

/// Entry point shared by the executable and the tests: parses arguments, runs the command with
/// the given context, and maps every outcome to an exit code (SPEC §13): 0 success, 1 the
/// operation failed, 2 usage error. Errors go to stderr, one clear sentence first.
public enum CLI {
    public static func run(arguments: [String], context: CommandContext = .live()) async -> Int32 {
        // Only as the whole command line: ArgumentParser's own version flag would also answer
        // `approve SHOT --version 2`, whose --version picks the shot version to approve.
        if arguments == ["--version"] {
            context.console.out("autodirector \(AutoDirectorVersion.string)")
            return 0
        }
        let arguments = withDefaultCommand(arguments, context: context)
        // Synchronous commands block on SQLite from start to end, so they run on a blocking-work
        // thread, never on the cooperative pool (Concurrency/README.md); the command is parsed
        // there too, as a parsed command is not Sendable. Nil: the command is async.
        let synchronous: Int32? = await Blocking.run {
            CommandContext.$current.withValue(context) { () -> Int32? in
                let command: ParsableCommand
                do { command = try AutoDirectorCommand.parseAsRoot(arguments) } catch { return report(error, context: context) }
                guard !(command is AsyncParsableCommand) else { return nil }
                do {
                    var runnable = command
                    try runnable.run()
                    return 0
                } catch {
                    return report(error, context: context)
                }
            }
        }
        if let synchronous { return synchronous }
        // Commands that render or serve are async: the worker pool runs on Swift concurrency.
        return await CommandContext.$current.withValue(context) {
            do {
                guard var command = try AutoDirectorCommand.parseAsRoot(arguments) as? AsyncParsableCommand else { return 0 }
                try await command.run()
                return 0
            } catch {
                return report(error, context: context)
            }
        }
    }

    /// No subcommand on a terminal opens the TUI; elsewhere (scripts, pipes) it prints help.
    static func withDefaultCommand(_ arguments: [String], context: CommandContext) -> [String] {
        let onlyProject = arguments.isEmpty
            || (arguments.count == 2 && arguments[0] == "--project")
            || (arguments.count == 1 && arguments[0].hasPrefix("--project="))
        guard onlyProject, context.console.isTerminal, isatty(STDIN_FILENO) == 1 else { return arguments }
        return arguments + ["tui"]
    }

    /// The arguments from the subcommand's name on, past a leading root `--project`: for what
    /// `main` must decide before anything is parsed (`MallocTuning`). Parsing itself is
    /// ArgumentParser's.
    static func fromSubcommand(_ arguments: [String]) -> ArraySlice<String> {
        guard let first = arguments.first else { return arguments[...] }
        if first == "--project" { return arguments.dropFirst(2) }
        if first.hasPrefix("--project=") { return arguments.dropFirst() }
        return arguments[...]
    }

    private static func report(_ error: Error, context: CommandContext) -> Int32 {
        let console = context.console
        if let failure = error as? CommandFailure {
            console.error(failure.message)
            return 1
        }
        if let exit = error as? ExitCode {
            return exit.rawValue
        }
        if let patch = error as? PatchParseError {
            // The arguments were well-formed; their content (a patch) was not: the operation
            // failed, like every other patch error, and nothing was stored.
            console.error(patch.description + " Nothing was stored.")
            return 1
        }
        let code = AutoDirectorCommand.exitCode(for: error)
        if code == .success {
            console.out(AutoDirectorCommand.fullMessage(for: error))
            return 0
        }
        if code == .validationFailure {
            let message = AutoDirectorCommand.fullMessage(for: error)
            console.error(message.isEmpty ? "Invalid arguments." : message)
            return 2
        }
        // Anything else is the engine's: the operation was understood but failed. Every engine
        // error describes itself in sentences a user can act on; the command line adds what to
        // type next.
        console.error((error as? EngineError)?.commandLineMessage ?? (error as? ApprovalStagesError)?.commandLineMessage ?? String(describing: error))
        return 1
    }
}

/// A failure already phrased for the user.
struct CommandFailure: Error {
    var message: String
}
