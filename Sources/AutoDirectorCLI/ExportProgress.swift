import AutoDirectorCore
import Foundation
import Synchronization

/// Shows an export's progress on stderr once it has run for a second (short exports stay
/// quiet): a bar redrawn in place on a terminal, a plain line at most once a second otherwise.
final class ExportProgress: Sendable {
    private struct State {
        var lastLine: ContinuousClock.Instant?
        var shown = false
    }

    private let console: Console
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(console: Console) { self.console = console }

    func update(_ done: Int, _ total: Int) {
        let now = ContinuousClock.now
        guard now - started >= .seconds(1) || (done == total && state.withLock { $0.shown }) else { return }
        let percent = total > 0 ? done * 100 / total : 100
        let text = "export: \(done)/\(total) images (\(percent)%)"
        state.withLock { state in
            if console.isTerminal {
                console.progress("\r" + ProgressPrinter.bar(done, of: total) + " " + text + "\u{1B}[K" + (done == total ? "\n" : ""))
            } else if done == total || state.lastLine.map({ now - $0 >= .seconds(1) }) ?? true {
                console.progress(text + "\n")
                state.lastLine = now
            }
            state.shown = true
        }
    }
}
