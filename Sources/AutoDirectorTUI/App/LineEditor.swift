/// Line editing for every prompt, as a shell's readline does it: ←/→, Home/End, Ctrl-A/E,
/// Ctrl-U (clear to the start), Ctrl-K (clear to the end), Ctrl-W (delete the word before the
/// cursor), Backspace and Delete. Pure: a key and a line in, the edited line out.
public struct LineEditor: Sendable, Equatable {
    public private(set) var text: String
    /// Where the next character goes, in characters from the start.
    public private(set) var cursor: Int

    public static let maxLength = 500

    public init(_ text: String = "", cursor: Int? = nil) {
        self.text = text
        self.cursor = max(0, min(cursor ?? text.count, text.count))
    }

    /// Applies an editing key; false when the key is not one (the caller handles it).
    public mutating func apply(_ key: Key) -> Bool {
        var characters = Array(text)
        switch key {
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace, .control("h"):
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .control("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .control("k"):
            characters.removeLast(characters.count - cursor)
        case .control("w"):
            var start = cursor
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .character(let character):
            guard characters.count < Self.maxLength else { return true }
            characters.insert(character, at: cursor)
            cursor += 1
        default:
            return false
        }
        text = String(characters)
        return true
    }
}
