/// The one sanitizer for untrusted text that leaves the process: CSV cells, notes, provider
/// messages and patch paths on their way to a terminal, a log, an error message, an HTML page or
/// Bria's prompt. What counts as dangerous is defined once (`isControl`); each destination gets
/// its own safe form of it:
/// - `visible` / `quoted`: control characters become visible escapes (`\e`, `\u{1}`), for
///   messages and tables, so a cell can never inject a terminal escape sequence;
/// - `escapingInvisiblesInJSON`: JSON output that stays equal JSON;
/// - `plain`: prose for a model prompt, with invisibles and whitespace runs turned into one space.
///
/// Every function is linear in its input and stops early when given a limit, so a 1 MB cell of
/// control bytes costs one pass, not minutes.
public enum TextSanitizer {
    /// `text` with every control or invisible character written as an escape; cut after `limit`
    /// scalars of output (with "…") when a limit is given.
    public static func visible(_ text: String, limit: Int? = nil) -> String {
        // With a limit only the part that can be shown is looked at.
        let needsWork = limit.map { text.unicodeScalars.prefix($0 + 1).contains(where: isControl) } ?? text.unicodeScalars.contains(where: isControl)
        if !needsWork, limit == nil || text.utf8.count <= limit! { return text }
        var out = ""
        out.reserveCapacity(min(text.utf8.count, (limit ?? Int.max / 8) * 4) + 8)
        var used = 0
        for scalar in text.unicodeScalars {
            if let limit, used >= limit {
                out += "…"
                return out
            }
            if isControl(scalar) {
                let escaped = scalar.value == 0x1B ? "\\e" : "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                out += escaped
                used += escaped.utf8.count
            } else {
                out.unicodeScalars.append(scalar)
                used += 1
            }
        }
        return out
    }

    /// `"text"`, sanitized and cut to a readable length.
    public static func quoted(_ text: String, limit: Int = 80) -> String {
        "\"\(visible(text, limit: limit))\""
    }

    /// JSON text with every invisible or control character that JSON writers leave literal (DEL,
    /// C1, bidi and zero-width characters) written as a `\uXXXX` escape. Outside strings JSON
    /// holds only ASCII structure, so the result parses to the same value.
    public static func escapingInvisiblesInJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: isControl) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count + 64)
        for scalar in json.unicodeScalars {
            if isControl(scalar) && scalar.value >= 0x20 {
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Untrusted text as prose (a model prompt): invisible formatting characters (bidi controls,
    /// zero-width characters, the byte-order mark) are dropped, control characters and runs of
    /// whitespace become one space, the ends are trimmed, and at most `limit` characters are kept.
    public static func plain(_ text: String, limit: Int) -> String {
        var out = ""
        var pendingSpace = false
        var count = 0
        for character in text {
            // A character's kept scalars are appended one by one: dropping a zero-width joiner
            // from an emoji sequence leaves more than one character, which `Character` refuses.
            var kept = Array(character.unicodeScalars)
            if kept.contains(where: isControl) {
                kept.removeAll(where: isInvisibleFormat)
                if kept.isEmpty { continue }
                if kept.contains(where: isControl) {
                    pendingSpace = !out.isEmpty
                    continue
                }
            }
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                if count + 1 >= limit { break }
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            if count >= limit { break }
            for scalar in kept { out.unicodeScalars.append(scalar) }
            count += 1
        }
        return out
    }

    /// The invisible formatting characters among `isControl`'s: they change how text is ordered
    /// or joined without showing anything themselves.
    static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// C0, DEL and C1 controls, line and paragraph separators, and the invisible formatting
    /// characters that can reorder or hide text on a terminal (bidi overrides and isolates,
    /// zero-width characters, the byte-order mark).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0..<0x20, 0x7F..<0xA0, 0x2028, 0x2029: return true
        default: return isInvisibleFormat(scalar)
        }
    }
}
