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

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029
    }
}
