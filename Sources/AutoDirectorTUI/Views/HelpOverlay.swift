/// The keys of the view in front, from the `Keymap`, in a box over the screen: one column when
/// it fits, else two (80×24 holds the table's in two, the detail tabs on one line). Over the
/// table the compare view's keys follow when there is room; over the compare view, its own are
/// listed.
enum HelpOverlay {
    static func draw(_ state: AppState, _ theme: Theme, into frame: inout Frame) {
        let entries = self.entries(state)
        let header = "Keys (rebind them in ~/.config/autodirector/keys.conf)"
        let footer = state.compare == nil ? "Esc clears the selection. Any key closes this help." : "Any key closes this help."
        let columns = columnCount(entries.count, state)
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
            // An entry without keys is a heading.
            let text = keys.isEmpty ? summary : TerminalText.pad(keys, to: columns == 1 ? 16 : 12) + summary
            frame.put(text, x: x + 2 + column * columnWidth, y: y + 3 + row, style: theme.prompt, limit: columnWidth - 1)
        }
        frame.put(footer, x: x + 2, y: y + height - 2, style: theme.prompt, limit: width - 4)
    }

    /// (keys, what they do) for the view in front.
    static func entries(_ state: AppState) -> [(String, String)] {
        let keymap = state.keymap
        func entry(_ keys: [Key], _ summary: String) -> (String, String) {
            let names = keys.map(\.name).joined(separator: " ")
            return (names.isEmpty ? "-" : names, summary)
        }
        let compare = CompareAction.allCases.map { entry(keymap.keys(for: $0), $0.summary) }
        if state.compare != nil {
            // `help`'s keys open this help from the compare view too.
            return compare + [entry(keymap.keys(for: .help), Action.help.summary)]
        }
        var table = Action.allCases.map { entry(keymap.keys(for: $0), $0.summary) }
        let both = table + [("", "In the compare view:")] + compare
        if perColumn(both.count, state) <= state.height - 7 { return both }
        // Short of rows (80×24): the detail tabs share one entry, their keys in the tabs' order,
        // and so do the actions that come in pairs.
        if perColumn(table.count, state) > state.height - 7 {
            let tabs = DetailTab.allCases.compactMap { Self.tabActions[$0] }
            let names = tabs.compactMap { keymap.keys(for: $0).first?.name }
            // Single letters side by side fit the key column ("iJvodxP").
            let keys = names.joined(separator: names.allSatisfy { $0.count == 1 } ? "" : " ")
            var shortened: [(String, String)] = []
            for action in Action.allCases {
                if action == tabs[0] { shortened.append((keys.isEmpty ? "-" : keys, "detail tabs, in order")) }
                if tabs.contains(action) || Self.pairs.contains(where: { $0.second == action }) { continue }
                if let pair = Self.pairs.first(where: { $0.first == action }) {
                    // Each action's shortest key: "j k", "pgdn pgup".
                    let both = [pair.first, pair.second].compactMap { keymap.keys(for: $0).map(\.name).min { $0.count < $1.count } }
                        .joined(separator: " ")
                    shortened.append((both.isEmpty ? "-" : both, pair.summary))
                } else {
                    shortened.append(entry(keymap.keys(for: action), action.summary))
                }
            }
            table = shortened
        }
        return table
    }

    /// Actions listed as one entry when rows are short, by their first keys.
    static let pairs: [(first: Action, second: Action, summary: String)] = [
        (.down, .up, "move down / up"), (.pageDown, .pageUp, "page down / up"), (.top, .bottom, "first / last shot"),
        (.nextNote, .previousNote, "next / previous note"), (.copyHash, .copyJSON, "copy hash / JSON"),
    ]

    static let tabActions: [DetailTab: Action] = [
        .preview: .tabPreview, .json: .tabJSON, .versions: .tabVersions, .notes: .tabNotes, .diff: .tabDiff, .explain: .tabExplain,
        .prompt: .tabPrompt,
    ]

    private static func columnCount(_ count: Int, _ state: AppState) -> Int {
        count + 4 <= state.height - 2 ? 1 : 2
    }

    private static func perColumn(_ count: Int, _ state: AppState) -> Int {
        let columns = columnCount(count, state)
        return (count + columns - 1) / columns
    }
}
