/// A key press, as the UI loop sees it. `name` is the spelling used in keymap files, and
/// `init?(name:)` reads it back, so a keymap round-trips through text.
public enum Key: Sendable, Equatable, Hashable {
    case character(Character)
    case up, down, left, right
    /// The arrows with Shift (a pin placed in fine steps).
    case shiftUp, shiftDown, shiftLeft, shiftRight
    case home, end, pageUp, pageDown
    case enter, escape, backspace, tab, backTab, delete
    /// The terminal changed size (ncurses' KEY_RESIZE).
    case resize
    /// Ctrl with a letter, as the lowercase letter: ctrl-c is `.control("c")`. Ctrl-h, -i, -j
    /// and -m arrive as backspace, tab and enter, which the terminal cannot tell apart.
    case control(Character)
    /// F1…F63.
    case function(Int)

    /// The keymap-file name: "j", "space", "up", "enter", "esc", "ctrl-c", "pgup", "f1", …
    public var name: String {
        switch self {
        case .character(" "): "space"
        case .character(let character): String(character)
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .shiftUp: "shift-up"
        case .shiftDown: "shift-down"
        case .shiftLeft: "shift-left"
        case .shiftRight: "shift-right"
        case .home: "home"
        case .end: "end"
        case .pageUp: "pgup"
        case .pageDown: "pgdn"
        case .enter: "enter"
        case .escape: "esc"
        case .backspace: "backspace"
        case .tab: "tab"
        case .backTab: "backtab"
        case .delete: "del"
        case .resize: "resize"
        case .control(let letter): "ctrl-\(letter)"
        case .function(let number): "f\(number)"
        }
    }

    /// Parses a keymap-file name. A single character is that character (case matters: "J" is
    /// shift-j); longer names are case-insensitive and accept a few common aliases ("escape",
    /// "return", "pageup", "delete", "shift-tab", "ctrl+x").
    public init?(name: String) {
        if name.count == 1, let character = name.first {
            self = .character(character)
            return
        }
        let lowered = name.lowercased()
        if let key = Self.byName[lowered] {
            self = key
            return
        }
        for prefix in ["ctrl-", "ctrl+"] where lowered.hasPrefix(prefix) {
            let rest = lowered.dropFirst(prefix.count)
            guard rest.count == 1, let letter = rest.first, letter.isASCII, letter.isLetter else { return nil }
            self = .control(letter)
            return
        }
        if lowered.hasPrefix("f"), let number = Int(lowered.dropFirst()), Self.functionKeys.contains(number) {
            self = .function(number)
            return
        }
        return nil
    }

    /// ncurses reserves codes for F0…F63; F0 is not a key on any keyboard.
    static let functionKeys = 1...63

    private static let named: [Key] = [
        .character(" "), .up, .down, .left, .right, .shiftUp, .shiftDown, .shiftLeft, .shiftRight, .home, .end, .pageUp, .pageDown,
        .enter, .escape, .backspace, .tab, .backTab, .delete, .resize,
    ]

    private static let aliases: [String: Key] = [
        "escape": .escape, "return": .enter, "pageup": .pageUp, "pagedown": .pageDown,
        "delete": .delete, "shift-tab": .backTab, "bs": .backspace,
    ]

    /// Built from `named` so each canonical name is spelled once, in `name`.
    private static let byName: [String: Key] = {
        var table = aliases
        for key in named { table[key.name] = key }
        return table
    }()
}
