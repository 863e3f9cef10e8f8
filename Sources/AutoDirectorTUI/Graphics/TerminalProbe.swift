import Foundation

/// Asks the terminal what it can draw, once at start-up and before curses owns the input: the
/// kitty graphics query, XTVERSION, the cell size in pixels, then primary device attributes,
/// which every terminal answers last. A terminal that says nothing within `timeout` costs that
/// once; one that has begun to answer is read until its device attributes arrive (up to
/// `answerTimeout`, for a slow SSH link), and inside tmux a little longer for the terminal's own
/// kitty answer behind tmux's. What arrives later still is discarded, so it is not read as keys.
public enum TerminalProbe {
    /// The queries, in order. Inside tmux the kitty query is wrapped for passthrough (tmux itself
    /// answers the others: it is the terminal the program talks to).
    public static func queries(insideTmux: Bool) -> [UInt8] {
        let kitty = Array("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\".utf8)
        return (insideTmux ? GraphicsSequences.tmuxPassthrough(kitty) : kitty) + Array("\u{1B}[>0q\u{1B}[16t\u{1B}[c".utf8)
    }

    /// The answers of the terminal on standard input/output, or nil when either is not a
    /// terminal or nothing came back in time.
    public static func ask(
        insideTmux: Bool, term: String?, timeout: Duration = .milliseconds(200), answerTimeout: Duration = .milliseconds(1500)
    ) -> TerminalAnswers? {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return nil }
        // A terminal that cannot take escape sequences is not sent any.
        guard let term, !term.isEmpty, term != "dumb" else { return nil }
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return nil }
        defer {
            // Late answers would otherwise arrive as keys.
            tcflush(STDIN_FILENO, TCIFLUSH)
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        }
        let query = queries(insideTmux: insideTmux)
        let written = query.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        guard written == query.count else { return nil }
        let start = ContinuousClock.now
        var deadline = start + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        var lingering = false
        while ContinuousClock.now < deadline, received.count < 65536 {
            let left = deadline - ContinuousClock.now
            let milliseconds = max(1, Int((left.seconds * 1000).rounded(.up)))
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(milliseconds))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            // It answers: give the rest time to come.
            if received.isEmpty { deadline = start + answerTimeout }
            received += buffer[0..<count]
            let answers = TerminalAnswers.parse(received)
            if answers.isComplete {
                // tmux answers for itself at once; the terminal's kitty answer comes through after.
                guard insideTmux, !answers.kittyGraphics, !lingering else { break }
                lingering = true
                deadline = min(deadline, ContinuousClock.now + .milliseconds(150))
            }
        }
        let answers = TerminalAnswers.parse(received)
        return received.isEmpty ? nil : answers
    }

    /// The cell size the window-size ioctl reports (zeros over many SSH links).
    public static func ioctlCellPixels() -> CellPixels? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0, size.ws_xpixel > 0, size.ws_ypixel > 0 else {
            return nil
        }
        return CellPixels(width: Int(size.ws_xpixel) / Int(size.ws_col), height: Int(size.ws_ypixel) / Int(size.ws_row))
    }

    /// tmux's `allow-passthrough` (`tmux show -gv allow-passthrough`): "on" or "all" pass
    /// graphics to the terminal.
    public static func tmuxPassthrough(environment: [String: String]) -> TerminalCapabilities.Passthrough? {
        guard let value = environment["TMUX"], !value.isEmpty else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "show", "-gv", "allow-passthrough"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return .unknown }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return .unknown }
        switch String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) {
        case "on", "all": return .on
        case "off": return .off
        default: return .unknown
        }
    }

    /// Everything at once, as the TUI and `doctor` use it.
    public static func capabilities(environment: [String: String], utf8: Bool, terminfoColors: Int, ask shouldAsk: Bool = true) -> TerminalCapabilities {
        let passthrough = tmuxPassthrough(environment: environment)
        // Even a forced mode asks: the cell size in pixels sizes sixel images.
        let answers = shouldAsk ? ask(insideTmux: passthrough != nil, term: environment["TERM"]) : nil
        return TerminalCapabilities.decide(
            environment: environment, answers: answers, tmuxPassthrough: passthrough, utf8: utf8, terminfoColors: terminfoColors,
            ioctlCellPixels: ioctlCellPixels())
    }
}
