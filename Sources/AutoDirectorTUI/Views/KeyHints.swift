/// The status bar's key hints for the view in front, read from the `Keymap` so that a rebound
/// key is the one shown (and an unbound action is not offered at all).
enum KeyHints {
    /// The status bar's line.
    static func line(_ state: AppState) -> String {
        let keys = Keys(keymap: state.keymap)
        let hints: [Hint]
        if state.compare != nil {
            hints = [
                keys.compareVersions("other version"),
                keys.one(.compareFlip, .character("f"), "flip"),
                keys.one(.compareDifference, .character("D"), "differences"),
                keys.one(.compareBack, .escape, "back to the table"),
                // Help works here through the table's keys, except one the compare view has taken.
                Hint(keys: [keys.shown(.help, .character("?"), unless: { state.keymap.compareAction(for: $0) != nil })], joiner: "", label: "help"),
            ]
        } else if state.focus == .table {
            hints = [
                Hint(keys: [keys.shown(.down, .character("j")), keys.shown(.up, .character("k"))], joiner: "/", label: "move"),
                keys.one(.approve, .character("a"), "approve"),
                keys.one(.reject, .character("r"), "reject"),
                keys.one(.patch, .character("p"), "patch"),
                keys.one(.compare, .character("C"), "compare"),
                keys.one(.filter, .character("/"), "filter"),
                keys.one(.help, .character("?"), "help"),
                keys.one(.quit, .character("q"), "quit"),
            ]
        } else {
            let tabs: [(Action, Character)] = [
                (.tabPreview, "i"), (.tabJSON, "J"), (.tabVersions, "v"), (.tabNotes, "o"), (.tabDiff, "d"), (.tabExplain, "x"), (.tabPrompt, "P"),
            ]
            hints = [
                Hint(keys: [keys.shown(.down, .character("j")), keys.shown(.up, .character("k"))], joiner: "/", label: "scroll"),
                Hint(keys: tabs.map { keys.shown($0.0, .character($0.1)) }, joiner: " ", label: "tabs"),
                keys.one(.edit, .character("e"), "edit"),
                keys.one(.copyHash, .character("y"), "copy hash"),
                keys.one(.focus, .tab, "back"),
                keys.one(.help, .character("?"), "help"),
                keys.one(.quit, .character("q"), "quit"),
            ]
        }
        return hints.compactMap(\.text).map { " " + $0 }.joined(separator: " ")
    }

    /// The compare view's own title line of keys, shorter.
    static func compareTitle(_ keymap: Keymap) -> String {
        let keys = Keys(keymap: keymap)
        return [
            keys.compareVersions("version"),
            keys.one(.compareFlip, .character("f"), "flip"),
            keys.one(.compareDifference, .character("D"), "differences"),
            keys.one(.compareBack, .escape, "back"),
        ].compactMap(\.text).joined(separator: " · ")
    }

    private struct Hint {
        var keys: [Key?]
        var joiner: String
        var label: String

        /// "j/k move"; nil when none of its actions has a key.
        var text: String? {
            let names = keys.compactMap { $0.map(KeyHints.name) }
            return names.isEmpty ? nil : names.joined(separator: joiner) + " " + label
        }
    }

    /// The key shown for an action: its default while still bound to it, else the one a person
    /// types most easily (a single character), else any; nil when none is bound.
    private struct Keys {
        var keymap: Keymap

        func shown(_ action: Action, _ preferred: Key, unless taken: (Key) -> Bool = { _ in false }) -> Key? {
            Self.pick(keymap.keys(for: action).filter { !taken($0) }, preferred)
        }
        func shown(_ action: CompareAction, _ preferred: Key) -> Key? { Self.pick(keymap.keys(for: action), preferred) }
        func one(_ action: Action, _ preferred: Key, _ label: String) -> Hint { Hint(keys: [shown(action, preferred)], joiner: "", label: label) }
        func one(_ action: CompareAction, _ preferred: Key, _ label: String) -> Hint {
            Hint(keys: [shown(action, preferred)], joiner: "", label: label)
        }
        func compareVersions(_ label: String) -> Hint {
            Hint(keys: [shown(.compareOlder, .character("[")), shown(.compareNewer, .character("]"))], joiner: " ", label: label)
        }

        private static func pick(_ keys: [Key], _ preferred: Key) -> Key? {
            if keys.contains(preferred) { return preferred }
            return keys.first { if case .character = $0 { true } else { false } } ?? keys.first
        }
    }

    /// As a person reads keys in a hint: the named ones capitalized.
    static func name(_ key: Key) -> String {
        switch key {
        case .escape: "Esc"
        case .tab: "Tab"
        case .enter: "Enter"
        default: key.name
        }
    }
}
