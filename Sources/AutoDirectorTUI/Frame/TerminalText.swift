import AutoDirectorCore

/// Text made safe and measurable for the terminal: every string from data (CSV cells, notes,
/// provider messages) goes through `clean` before it is drawn, so no control character or
/// escape sequence reaches the terminal raw — they become visible placeholders.
public enum TerminalText {
    /// What `TextSanitizer` counts as control or invisible (C0, C1, DEL, line separators, bidi
    /// and zero-width characters) becomes a one-column placeholder, so columns still line up:
    /// ESC shows as "␛" (`\e[2J` as "␛[2J"), other C0 controls as their control pictures, the
    /// rest as "�". In ASCII mode everything outside printable ASCII becomes "?" or "^x".
    /// `limit` stops after that many scalars, for text that is cut to a cell anyway: a
    /// megabyte-long CSV cell then costs a frame no more than a short one.
    public static func clean(_ text: String, ascii: Bool = false, limit: Int = .max) -> String {
        var out = ""
        out.reserveCapacity(min(text.utf8.count, limit))
        var used = 0
        for scalar in text.unicodeScalars {
            if used == limit { break }
            used += 1
            let value = scalar.value
            guard TextSanitizer.isControl(scalar) else {
                if ascii && value > 0x7E { out += "?" } else { out.unicodeScalars.append(scalar) }
                continue
            }
            let placeholder: String
            switch value {
            case 0x1B: placeholder = ascii ? "^[" : "␛"
            case 0x09: placeholder = " "
            case 0x0A, 0x0D, 0x2028, 0x2029: placeholder = ascii ? " " : "↵"
            case 0x00..<0x20: placeholder = ascii ? "^?" : String(Character(Unicode.Scalar(0x2400 + value) ?? "�"))
            case 0x7F: placeholder = ascii ? "^?" : "␡"
            default: placeholder = ascii ? "?" : "�"
            }
            out += placeholder
        }
        return out
    }

    /// Columns a character takes: 2 for wide East Asian characters and emoji, 0 for
    /// combining-only ones, else 1.
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
    public static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// `text` cut to `columns`, with "…" when cut.
    public static func truncate(_ text: String, to columns: Int, ascii: Bool = false) -> String {
        guard columns > 0 else { return "" }
        if width(text) <= columns { return text }
        var out = ""
        var used = 0
        let ellipsis = ascii ? "~" : "…"
        for character in text {
            let w = self.columns(of: character)
            if used + w > columns - 1 { break }
            out.append(character)
            used += w
        }
        return out + ellipsis
    }

    /// `text` padded with spaces (or cut) to exactly `columns`.
    public static func pad(_ text: String, to columns: Int, ascii: Bool = false) -> String {
        let cut = truncate(text, to: columns, ascii: ascii)
        return cut + String(repeating: " ", count: max(0, columns - width(cut)))
    }
}
