import CNCursesW
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program that uses the terminal itself (the `e` key's `$EDITOR`) as a shell runs a
/// job: in a process group of its own that is handed the terminal (`tcsetpgrp`) while it runs.
/// Only the foreground group may read the terminal and set its modes, so without this an
/// interactive editor is stopped or fails; the terminal's answers to its queries reach it, not
/// the TUI; and it gets the SIGHUP when the terminal hangs up. Afterwards the terminal comes
/// back to the TUI's group, with whatever input the editor left unread thrown away, so none
/// of it turns into keys.
enum ForegroundJob {
    enum Outcome: Equatable {
        /// It ended by itself, with this exit status.
        case exited(Int32)
        /// It was killed by this signal (not by us).
        case killed(signal: Int32)
        /// The terminal hung up while it ran: it was ended, and the TUI should end too.
        case terminalGone
        /// The TUI was asked to stop (`stopRequested` said which signal) while it ran: it was
        /// ended first.
        case interrupted(signal: Int32)
        /// It could not be started (an errno value).
        case failedToStart(Int32)
    }

    /// How often the wait looks at the terminal, the child and `stopRequested`.
    static let pollMilliseconds: Int32 = 50
    /// How long an ended job gets for each of SIGHUP and SIGTERM before the next, stronger one.
    static let endGrace: Duration = .seconds(1)

    /// Runs `arguments` (the first is the executable's path) on the terminal `terminal` and
    /// waits for it. `stopRequested` is asked every `pollMilliseconds`: a signal there (the
    /// TUI's SIGTERM, SIGINT or SIGHUP) ends the job and the wait.
    static func run(_ arguments: [String], terminal: Int32, stopRequested: () -> Int32?) -> Outcome {
        guard let path = arguments.first else { return .failedToStart(ENOENT) }
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let failed = cnc_spawn_process_group(path, &argv, &pid)
        guard failed == 0 else { return .failedToStart(failed) }

        let ownGroup = getpgrp()
        // The child may touch the terminal before this call; it is then stopped (SIGTTIN or
        // SIGTTOU) and continued below, once it has the terminal.
        _ = cnc_set_foreground_group(terminal, pid)
        defer {
            _ = cnc_set_foreground_group(terminal, ownGroup)
            // Answers to the editor's queries that it never read must not become the TUI's keys.
            tcflush(terminal, TCIFLUSH)
        }
        while true {
            var value: Int32 = 0
            switch cnc_poll_child(pid, &value) {
            case CNC_CHILD_EXITED:
                return .exited(value)
            case CNC_CHILD_KILLED:
                return .killed(signal: value)
            case CNC_CHILD_STOPPED:
                // SIGTTIN or SIGTTOU: it used the terminal before it had it. SIGTSTP: its user
                // suspended it (Ctrl-Z), but the TUI cannot be suspended in its stead (it may
                // have no job-control shell to resume it), so the editor simply goes on.
                _ = cnc_set_foreground_group(terminal, pid)
                kill(-pid, SIGCONT)
            case CNC_CHILD_ERROR:
                // ECHILD: it was reaped elsewhere; nothing is left to wait for.
                return .killed(signal: 0)
            default:
                break
            }
            if let signal = stopRequested() {
                end(pid, first: signal == SIGHUP ? SIGHUP : SIGTERM)
                return .interrupted(signal: signal)
            }
            if cnc_terminal_gone(terminal, pollMilliseconds) == 1 {
                end(pid, first: SIGHUP)
                return .terminalGone
            }
        }
    }

    /// Ends the job's whole group as a hang-up would (`first`), then SIGTERM, then SIGKILL,
    /// each after `endGrace`, and reaps it. SIGCONT goes along: a stopped job acts on nothing
    /// else.
    private static func end(_ pid: pid_t, first: Int32) {
        for signal in [first, SIGTERM, SIGKILL] {
            kill(-pid, signal)
            kill(-pid, SIGCONT)
            let deadline = ContinuousClock.now + endGrace
            while ContinuousClock.now < deadline || signal == SIGKILL {
                var value: Int32 = 0
                let state = cnc_poll_child(pid, &value)
                if state == CNC_CHILD_EXITED || state == CNC_CHILD_KILLED || state == CNC_CHILD_ERROR { return }
                usleep(10_000)
            }
        }
    }
}
