/// Every action with its keys, in a box over the screen: one column when it fits, else two
/// (80×24 holds them all in two).
enum HelpOverlay {
    static func draw(_ state: AppState, _ theme: Theme, into frame: inout Frame) {
        let entries = Action.allCases.map { action -> (String, String) in
            let keys = state.keymap.keys(for: action).map(\.name).joined(separator: " ")
            return (keys.isEmpty ? "-" : keys, action.summary)
        }
        let header = "Keys (rebind them in ~/.config/autodirector/keys.conf)"
        let footer = "Esc clears the selection. Any key closes this help."
        let columns = entries.count + 4 <= state.height - 2 ? 1 : 2
        let perColumn = (entries.count + columns - 1) / columns
        let width = min(state.width - 2, columns == 1 ? 64 : 78)
        let height = min(state.height - 2, perColumn + 6)
        let x = (state.width - width) / 2
        let y = max(1, (state.height - height) / 2)
        frame.fill(x: x, y: y, width: width, height: height, style: theme.prompt)
        frame.put(TerminalText.clean(header, ascii: theme.ascii), x: x + 2, y: y + 1, style: theme.prompt, limit: width - 4)
        let columnWidth = (width - 4) / columns
        for (index, (keys, summary)) in entries.enumerated() {
            let column = index / perColumn
            let row = index % perColumn
            guard y + 3 + row < y + height - 2 else { continue }
            let text = TerminalText.pad(keys, to: columns == 1 ? 16 : 12) + summary
            frame.put(text, x: x + 2 + column * columnWidth, y: y + 3 + row, style: theme.prompt, limit: columnWidth - 1)
        }
        frame.put(footer, x: x + 2, y: y + height - 2, style: theme.prompt, limit: width - 4)
    }
}
