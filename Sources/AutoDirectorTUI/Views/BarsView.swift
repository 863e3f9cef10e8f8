import AutoDirectorCore

/// The title bar, the job line (live progress bar, rate, ETA, failures) and the status line
/// (prompt, confirmation, message, or key hints).
enum BarsView {
    static func title(_ state: AppState, _ theme: Theme, into frame: inout Frame) {
        frame.fill(x: 0, y: 0, width: state.width, height: 1, style: theme.title)
        let dot = theme.ascii ? " - " : " · "
        var text = " AutoDirector\(dot)\(state.title)\(dot)\(state.total) shot\(state.total == 1 ? "" : "s")"
        if state.query.assignee != nil { text += "\(dot)my queue" }
        if !state.query.filter.isEmpty { text += "\(dot)filter: \(state.query.filter)" }
        if state.query.sort != .source { text += "\(dot)sort: \(state.query.sort.rawValue)" }
        if !state.selection.isEmpty { text += "\(dot)\(state.selection.count) selected" }
        frame.put(TerminalText.clean(text, ascii: theme.ascii), x: 0, y: 0, style: theme.title, limit: state.width - 8)
        let help = "? help "
        frame.put(help, x: state.width - help.count, y: 0, style: theme.title)
    }

    static func job(_ state: AppState, _ layout: Layout, _ theme: Theme, into frame: inout Frame) {
        let y = layout.jobLine
        guard let job = state.job else {
            frame.put("No render job in this session. R renders the shot or the selection.", x: 1, y: y, style: theme.dim, limit: state.width - 1)
            return
        }
        let p = job.progress
        let label = "Job \(p.jobID) \(job.state) "
        var x = 1 + frame.put(label, x: 1, y: y, style: theme.text)
        let counts = " \(p.finished)/\(p.total)"
        var tail = counts + String(format: " %.0f/s", p.rate)
        if job.running, let eta = p.eta { tail += " ETA \(Self.duration(eta))" }
        if p.failed > 0 { tail += "\(theme.ascii ? " - " : " · ")\(p.failed) failed" }
        let barWidth = max(10, min(40, state.width / 5))
        let filled = p.total > 0 ? min(barWidth, barWidth * p.finished / p.total) : 0
        frame.put(String(repeating: theme.barFull, count: filled), x: x, y: y, style: theme.barDone)
        frame.put(String(repeating: theme.barEmpty, count: barWidth - filled), x: x + filled, y: y, style: theme.dim)
        x += barWidth
        x += frame.put(tail, x: x, y: y, style: theme.text, limit: state.width - x)
        if let failure = job.lastFailure, x + 4 < state.width {
            frame.put((theme.ascii ? " - " : " · ") + TerminalText.clean(failure, ascii: theme.ascii), x: x, y: y, style: theme.render("failed"), limit: state.width - x)
        }
    }

    static func status(_ state: AppState, _ layout: Layout, _ theme: Theme, into frame: inout Frame) {
        let y = layout.statusLine
        if let confirmation = state.confirmation {
            frame.fill(x: 0, y: y, width: state.width, height: 1, style: theme.prompt)
            // The default (no) in capitals, as shells do: any key but y cancels, Enter included.
            frame.put(" " + TerminalText.clean(confirmation.question, ascii: theme.ascii) + " [y/N]", x: 0, y: y, style: theme.prompt, limit: state.width)
            return
        }
        if let prompt = state.prompt {
            let label: String
            switch prompt {
            case .filter: label = "Filter (words, status: stage: assignee: notes:open retakes>=N new): "
            case .reviewNote(let change, let ids, _, let pin):
                label = "\(change.question) \(ids.count == 1 ? ids[0] : "\(ids.count) shots")\(pin.map { " (pin \($0.text))" } ?? "") — note: "
            case .note(let id, let pin, _): label = "Note on \(id)\(pin.map { " (pin \($0.text))" } ?? ""): "
            case .patch(let id, _): label = "Patch \(id): "
            case .refine(let id, _): label = "Refine \(id) with FIBO (e.g. warmer, 85 mm, backlit): "
            case .assignee(let ids, _): label = "Assign \(ids.count == 1 ? ids[0] : "\(ids.count) shots") to: "
            case .stage(let ids, _):
                label = "Approve \(ids.count == 1 ? ids[0] : "\(ids.count) shots") at stage (\(state.stages.names.joined(separator: ", "))): "
            }
            frame.fill(x: 0, y: y, width: state.width, height: 1, style: theme.prompt)
            // The cursor is drawn as a reversed cell where the next character goes; a long input
            // scrolls so that the cursor stays visible.
            let input = Array(prompt.text).map { TerminalText.clean(String($0), ascii: theme.ascii) }
            let cursor = min(state.promptCursor, input.count)
            var pieces = Array(TerminalText.clean(label, ascii: theme.ascii)).map(String.init) + input + [" "]
            var cursorIndex = pieces.count - input.count - 1 + cursor
            let room = state.width - 2
            while pieces.count > 1, TerminalText.width(pieces[0...cursorIndex].joined()) > room {
                pieces.removeFirst()
                cursorIndex -= 1
            }
            var x = 1
            for (index, piece) in pieces.enumerated() {
                var style = theme.prompt
                if index == cursorIndex { style.reverse.toggle() }
                let used = frame.put(piece, x: x, y: y, style: style, limit: state.width - x)
                if used == 0 && !piece.isEmpty { break }
                x += used
            }
            return
        }
        if let placement = state.pinning, state.message == nil || !state.messageIsError {
            frame.fill(x: 0, y: y, width: state.width, height: 1, style: theme.prompt)
            let what = placement.corner == nil ? "Pin at \(placement.pin.text)" : "Rectangle \(placement.pin.text)"
            let keys = "←↑↓→ hjkl move · Shift/HJKL fine · b corner · Enter place · s no pin · Esc cancel"
            frame.put(" " + TerminalText.clean("\(what) — \(keys)", ascii: theme.ascii), x: 0, y: y, style: theme.prompt, limit: state.width)
            return
        }
        if let message = state.message {
            let style = state.messageIsError ? theme.error : theme.status
            frame.fill(x: 0, y: y, width: state.width, height: 1, style: style)
            frame.put(" " + TerminalText.clean(message, ascii: theme.ascii), x: 0, y: y, style: style, limit: state.width)
            return
        }
        frame.fill(x: 0, y: y, width: state.width, height: 1, style: theme.status)
        frame.put(KeyHints.line(state), x: 0, y: y, style: theme.status, limit: state.width)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m"
    }
}
