/// Makes untrusted text safe to print: control characters (C0, DEL, C1) become visible escapes,
/// so a CSV cell or a provider message can never inject a terminal escape sequence.
public enum TextSanitizer {
    public static func visible(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where isControl(scalar) {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let escaped = scalar.value == 0x1B ? "\\e" : "\\u{\(hex)}"
                out.append(contentsOf: escaped.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `"text"`, sanitized and cut to a readable length.
    public static func quoted(_ text: String, limit: Int = 80) -> String {
        var shown = visible(text)
        if shown.count > limit { shown = String(shown.prefix(limit)) + "…" }
        return "\"\(shown)\""
    }

    /// C0, DEL and C1 controls, line and paragraph separators, and the invisible formatting
    /// characters that can reorder or hide text on a terminal (bidi overrides and isolates,
    /// zero-width characters).
    /// JSON text with every invisible or control character that JSON writers leave literal (DEL,
    /// C1, bidi and zero-width characters) written as a `\uXXXX` escape. Outside strings JSON
    /// holds only ASCII structure, so the result parses to the same value.
    public static func escapingInvisiblesInJSON(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: isControl) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if isControl(scalar) && scalar.value >= 0x20 {
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0..<0x20, 0x7F..<0xA0, 0x2028, 0x2029: return true
        case 0x061C, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}
