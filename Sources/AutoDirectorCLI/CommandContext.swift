import AutoDirectorCore
import Foundation

/// What a command may touch of the outside world: where it prints, the environment, the clock.
/// Injected through a task-local so that tests run commands in-process with captured output.
public struct CommandContext: Sendable {
    public var console: Console
    public var environment: [String: String]
    public var clock: @Sendable () -> Date

    public init(console: Console, environment: [String: String], clock: @escaping @Sendable () -> Date) {
        self.console = console
        self.environment = environment
        self.clock = clock
    }

    public static func live() -> CommandContext {
        CommandContext(console: .standard, environment: ProcessInfo.processInfo.environment, clock: { Date() })
    }

    @TaskLocal public static var current = CommandContext.live()
}

/// Output sinks for a command: the real stdout/stderr, or buffers in tests.
public final class Console: Sendable {
    private let writeOut: @Sendable (String) -> Void
    private let writeError: @Sendable (String) -> Void
    public let isTerminal: Bool

    public init(isTerminal: Bool, out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        writeOut = out
        writeError = error
    }

    public static let standard = Console(
        isTerminal: isatty(STDOUT_FILENO) == 1,
        out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
        error: { text in FileHandle.standardError.write(Data(text.utf8)) })

    /// Prints a line (a newline is added).
    public func out(_ line: String) { writeOut(line.hasSuffix("\n") ? line : line + "\n") }

    /// Prints bytes exactly (for `canon`, whose output must be byte for byte).
    public func raw(_ text: String) { writeOut(text) }

    /// Prints an error; every line is sanitized, as messages quote untrusted input.
    /// Writes progress to stderr as is (a bar redraws itself with a carriage return).
    public func progress(_ text: String) { writeError(text) }

    public func error(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { TextSanitizer.visible(String($0)) }
        let joined = lines.joined(separator: "\n")
        writeError(joined.hasSuffix("\n") ? joined : joined + "\n")
    }
}

extension CommandContext {
    /// `Blocking.run` for a command's engine calls, keeping the command's context: it is a
    /// task-local, which a blocking-work thread does not inherit.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let context = current
        return try await Blocking.run { try $current.withValue(context) { try body() } }
    }
}
