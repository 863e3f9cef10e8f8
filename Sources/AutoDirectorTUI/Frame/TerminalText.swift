import AutoDirectorCore

/// Text made safe and measurable for the terminal: every string from data (CSV cells, notes,
/// provider messages) goes through `clean` before it is drawn into a Frame, so no control
/// character or escape sequence of the data's reaches the terminal — they become visible
/// placeholders. The bytes written beside the Frame are sequences the program builds itself
/// (`CursesScreen.writeRaw`, and OSC 52's base64 in `setClipboard`), never text from data.
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

    /// Columns a character takes (see `DisplayWidth`, which the CLI's tables share).
    public static func columns(of character: Character) -> Int {
        DisplayWidth.columns(of: character)
    }

    /// Columns `text` takes.
    public static func width(_ text: String) -> Int {
        DisplayWidth.of(text)
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
