/// Draws the whole state into a Frame. Pure: the same state and size give the same Frame.
public enum Screen {
    public static func render(_ state: AppState) -> Frame {
        var frame = Frame(width: state.width, height: state.height)
        let layout = Layout(width: state.width, height: state.height)
        let theme = Theme(colors: state.colors, ascii: state.ascii)
        if layout.isTooSmall {
            let lines = [
                "The terminal is \(state.width)×\(state.height);",
                "AutoDirector needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight).",
                "Make the window larger, or press q to quit.",
            ]
            for (index, line) in lines.enumerated() {
                frame.put(theme.ascii ? TerminalText.clean(line, ascii: true) : line, x: 0, y: index, limit: state.width)
            }
            return frame
        }
        BarsView.title(state, theme, into: &frame)
        if state.compare != nil || state.variants != nil {
            let body = Layout.Rect(x: 0, y: 1, width: state.width, height: max(1, layout.jobLine - 1))
            if let compare = state.compare {
                CompareView.draw(state, compare, body, theme, into: &frame)
            } else if let variants = state.variants {
                VariantsView.draw(state, variants, body, theme, into: &frame)
            }
            BarsView.job(state, layout, theme, into: &frame)
            BarsView.status(state, layout, theme, into: &frame)
            if state.showHelp { HelpOverlay.draw(state, theme, into: &frame) }
            return covered(frame, state)
        }
        TableView.draw(state, layout.table, theme, into: &frame)
        if layout.detail.x > 0 {
            for y in layout.detail.y..<(layout.detail.y + layout.detail.height) {
                frame[layout.detail.x - 1, y] = Cell(theme.vertical, style: theme.border)
            }
        }
        DetailView.draw(state, layout.detail, theme, into: &frame)
        BarsView.job(state, layout, theme, into: &frame)
        BarsView.status(state, layout, theme, into: &frame)
        if state.showHelp { HelpOverlay.draw(state, theme, into: &frame) }
        return covered(frame, state)
    }

    /// Pictures sit above text in the terminal: while the help overlay is up, none is shown.
    private static func covered(_ frame: Frame, _ state: AppState) -> Frame {
        guard state.showHelp else { return frame }
        var frame = frame
        frame.graphics = []
        return frame
    }
}
