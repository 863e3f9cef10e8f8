import Foundation

/// Asks the terminal what it can draw, once at start-up and before curses owns the input: the
/// kitty graphics query, XTVERSION, the cell size in pixels, then primary device attributes,
/// which every terminal answers last. Waits at most `timeout` (a silent terminal costs that once);
/// whatever arrives later is discarded, so it never reaches curses as keys.
public enum TerminalProbe {
    /// The queries, in order. Inside tmux the kitty query is wrapped for passthrough (tmux itself
    /// answers the others: it is the terminal the program talks to).
    public static func queries(insideTmux: Bool) -> [UInt8] {
        let kitty = Array("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\".utf8)
        return (insideTmux ? GraphicsSequences.tmuxPassthrough(kitty) : kitty) + Array("\u{1B}[>0q\u{1B}[16t\u{1B}[c".utf8)
    }

    /// The answers of the terminal on standard input/output, or nil when either is not a
    /// terminal or nothing came back in time.
    public static func ask(insideTmux: Bool, timeout: Duration = .milliseconds(200)) -> TerminalAnswers? {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return nil }
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
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while ContinuousClock.now < deadline, received.count < 65536 {
            let left = deadline - ContinuousClock.now
            let milliseconds = max(1, Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(milliseconds))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { break }
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += buffer[0..<count]
            if TerminalAnswers.parse(received).isComplete { break }
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
        let answers = shouldAsk ? ask(insideTmux: passthrough != nil) : nil
        return TerminalCapabilities.decide(
            environment: environment, answers: answers, tmuxPassthrough: passthrough, utf8: utf8, terminfoColors: terminfoColors,
            ioctlCellPixels: ioctlCellPixels())
    }
}
