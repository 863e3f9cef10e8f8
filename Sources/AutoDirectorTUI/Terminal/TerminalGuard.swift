import CNCursesW
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back on every way out, so a crash or a kill never leaves the shell in raw
/// mode on the alternate screen:
/// - SIGINT, SIGTERM, SIGHUP: observed, not handled. The UI loop polls `pendingSignal` each tick,
///   then closes curses on its own thread and exits; curses is never touched from a handler.
/// - SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT: a C handler in the shim writes back the terminal
///   modes saved before curses started and the terminfo bytes that undo curses's screen modes
///   (async-signal-safe calls only), then lets the signal end the process by its default
///   action, so the exit status names it.
/// - exit(): an atexit hook does the same endwin.
/// Create it before `CursesScreen.open` (it saves the terminal's modes then), call
/// `screenOpened` after, keep it for the life of the UI, `uninstall` at the end.
public final class TerminalGuard: Sendable {
    /// The signals that ask the program to stop.
    public static let observedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    private let pending: PendingSignal
    private let installed = Atomic<Bool>(true)
    /// In a Mutex because the protocol existential is not marked Sendable on Linux.
    private let sources: Mutex<[any DispatchSourceSignal]>

    public init() {
        // The shim keeps the saved actions in per-object-file statics: install and uninstall
        // must both be called from this file.
        cnc_install_crash_restore()
        cnc_install_exit_restore()

        let queue = DispatchQueue(label: "autodirector.terminal-guard")
        let pending = PendingSignal()
        var observers: [any DispatchSourceSignal] = []
        for signo in Self.observedSignals {
            // Ignored first, so the default action cannot end the process before the source is
            // registered (libdispatch then installs its own forwarding handler).
            cnc_ignore_signal(signo)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            source.setEventHandler {
                pending.value.store(signo, ordering: .relaxed)
            }
            source.resume()
            observers.append(source)
        }
        self.pending = pending
        sources = Mutex(observers)
    }

    deinit { uninstall() }

    /// Curses has the terminal now: a crash from here on restores it (see the shim's
    /// `cnc_arm_crash_restore`, which reads the terminal's terminfo entry).
    public func screenOpened() {
        cnc_arm_crash_restore()
    }

    /// The last of `observedSignals` received, if any: the UI loop should close the screen and
    /// exit (by convention with status 128 + signal).
    public var pendingSignal: Int32? {
        let signo = pending.value.load(ordering: .relaxed)
        return signo == 0 ? nil : signo
    }

    /// Stops observing signals and puts back the previous dispositions: default for the
    /// observed ones, whatever was there before (default, or the Swift runtime's backtracer)
    /// for the fatal ones, which then no longer restore the terminal. The atexit hook stays
    /// (atexit cannot be undone); it only calls endwin while curses is active. Safe to call more
    /// than once.
    public func uninstall() {
        guard installed.exchange(false, ordering: .acquiringAndReleasing) else { return }
        sources.withLock { observers in
            for source in observers {
                source.cancel()
            }
            observers.removeAll()
        }
        for signo in Self.observedSignals {
            cnc_default_signal(signo)
        }
        cnc_uninstall_crash_restore()
    }
}

/// The flag the signal handlers set. A class of its own so the handlers can hold it without
/// holding the guard.
private final class PendingSignal: Sendable {
    let value = Atomic<Int32>(0)
}
