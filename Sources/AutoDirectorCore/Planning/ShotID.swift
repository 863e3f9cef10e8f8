/// Shot ids name files in exports and artifacts, so they are restricted to a portable, harmless
/// alphabet (SPEC §3): letters, digits, `-`, `_`, `.`; starting with a letter or digit (so never
/// `.`, `..` or a hidden file); at most 128 characters.
public enum ShotID {
    public static let maxLength = 128

    /// nil when valid, else why not.
    public static func problem(_ id: String) -> String? {
        if id.isEmpty { return "shot_id is empty" }
        let bytes = Array(id.utf8)
        if bytes.count > maxLength { return "shot_id is longer than \(maxLength) characters" }
        guard isAlphanumeric(bytes[0]) else {
            return "shot_id \(quoted(id)) must start with a letter or digit"
        }
        for byte in bytes where !(isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")) {
            if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") {
                return "shot_id \(quoted(id)) contains a path separator"
            }
            return "shot_id \(quoted(id)) may contain only letters, digits, '-', '_' and '.'"
        }
        return nil
    }

    public static func isValid(_ id: String) -> Bool { problem(id) == nil }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
    }

    /// Quotes untrusted text for an error message, escaping control characters so a message can
    /// never carry a terminal escape sequence.
    static func quoted(_ text: String) -> String {
        TextSanitizer.quoted(text)
    }
}
