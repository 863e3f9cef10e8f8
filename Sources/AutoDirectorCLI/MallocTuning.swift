import CSystemCalls
import Foundation

/// The allocator's settings for a long-running interactive session (the TUI, and the benchmarks
/// that measure it).
///
/// glibc gives each thread its own arena and returns an arena's freed pages only from its top.
/// With a render job's threads beside the UI's, memory the jobs freed stayed resident in several
/// arenas: `bench tui` at 100k shots with render jobs running one after another peaked at
/// 257 MB, against 124 MB with one arena. Small allocations rarely contend for it (each thread
/// keeps a cache of its own). Batch commands keep glibc's default: planning 100k shots on
/// parallel threads is ~18% slower with one arena. It must be set before a second thread
/// allocates (arenas are handed out then), so `main` applies it from the arguments, before the
/// first `await`. `MALLOC_ARENA_MAX` or `GLIBC_TUNABLES` in the environment win.
public enum MallocTuning {
    public static func apply(arguments: [String]) {
        #if os(Linux)
        let command = CLI.fromSubcommand(CLI.withDefaultCommand(arguments, context: .live()))
        // `bench graphics` times the TUI's image encoders, so it allocates as the TUI does.
        // `run` opens the TUI after planning on a terminal (unless told not to, see RunCommand).
        let opensTUI = command.first == "run" && !command.contains("--no-tui") && !command.contains("--json")
            && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let interactive = command.first == "tui" || opensTUI || command.starts(with: ["bench", "tui"]) || command.starts(with: ["bench", "graphics"])
        guard interactive else { return }
        let environment = ProcessInfo.processInfo.environment
        guard environment["MALLOC_ARENA_MAX"] == nil, !(environment["GLIBC_TUNABLES"] ?? "").contains("arena_max") else { return }
        _ = csys_set_malloc_arena_max(1)
        #endif
    }
}
