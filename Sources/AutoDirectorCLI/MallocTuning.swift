import Foundation

/// The allocator's settings for a long-running interactive session (the TUI).
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
        let resolved = CLI.projectOptionAfterSubcommand(CLI.withDefaultCommand(arguments, context: .live()))
        let interactive = resolved.first == "tui" || resolved.starts(with: ["bench", "tui"])
        guard interactive else { return }
        let environment = ProcessInfo.processInfo.environment
        guard environment["MALLOC_ARENA_MAX"] == nil, !(environment["GLIBC_TUNABLES"] ?? "").contains("arena_max") else { return }
        _ = glibcMallopt(mArenaMax, 1)
        #endif
    }
}

#if os(Linux)
/// `M_ARENA_MAX` from <malloc.h>.
private let mArenaMax: Int32 = -8

/// glibc's `mallopt` (in <malloc.h>, which Glibc's module does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
