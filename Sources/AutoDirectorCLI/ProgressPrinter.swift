import AutoDirectorCore
import Foundation

/// Shows render progress on stderr: a bar redrawn in place on a terminal, a plain line at most
/// once a second otherwise (logs over SSH stay readable).
struct ProgressPrinter {
    let console: Console
    let enabled: Bool

    func consume(_ events: AsyncStream<RenderEvent>) async {
        var lastLine = ContinuousClock.now - .seconds(10)
        for await event in events where enabled {
            switch event {
            case .started(let jobID, let total):
                console.progress("Job \(jobID): rendering \(total) item\(total == 1 ? "" : "s")\n")
            case .progress(let progress):
                if console.isTerminal {
                    console.progress("\r" + bar(progress) + "\u{1B}[K")
                } else if ContinuousClock.now - lastLine >= .seconds(1) {
                    lastLine = ContinuousClock.now
                    console.progress(line(progress) + "\n")
                }
            case .itemFailed(_, let shotID, let version, let message):
                if console.isTerminal { console.progress("\r\u{1B}[K") }
                console.error("\(shotID) v\(version) failed: \(message)")
            case .finished(_, _, let progress):
                console.progress(console.isTerminal ? "\r" + bar(progress) + "\u{1B}[K\n" : line(progress) + "\n")
            }
        }
    }

    private func bar(_ p: RenderProgress) -> String {
        Self.bar(p.finished, of: p.total) + " " + line(p)
    }

    /// `[#########.....................]`: the bar every progress display draws on a terminal.
    static func bar(_ done: Int, of total: Int, width: Int = 30) -> String {
        let filled = total > 0 ? min(width, done * width / total) : width
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    private func line(_ p: RenderProgress) -> String {
        let percent = p.total > 0 ? p.finished * 100 / p.total : 100
        let eta = p.eta.map { String(format: "ETA %.0f s", $0) } ?? "ETA -"
        return "job \(p.jobID): \(p.finished)/\(p.total) (\(percent)%), \(p.failed) failed, "
            + String(format: "%.0f/s, ", p.rate) + eta
    }
}
