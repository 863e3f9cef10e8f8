/// How many terminal columns text takes, for everything that lines text up in a terminal (the
/// TUI's cells, the CLI's tables): 2 for wide East Asian characters and emoji, 0 for
/// combining-only ones, else 1. One function for both, so the TUI and the CLI never disagree.
public enum DisplayWidth {
    /// Columns `character` takes.
    public static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        // Computed here rather than by wcwidth: the same text measures the same under any
        // locale, so frames (and their snapshots) do not depend on the environment.
        if character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) { return 2 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// Columns `text` takes.
    public static func of(_ text: String) -> Int {
        // Printable ASCII, by far the most text, is a column a byte: no grapheme breaking needed.
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text.utf8.count }
        return text.reduce(0) { $0 + columns(of: $1) }
    }
}
