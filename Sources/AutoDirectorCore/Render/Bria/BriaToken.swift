/// The Bria API token. It is only ever written into the `api_token` request header: it has no
/// printable form (descriptions say "redacted"), and `redact` removes it from any text that
/// came back from the network before that text is shown or stored.
public struct BriaToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: String

    public init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        // A header value: no control characters (they would split or corrupt the request).
        guard !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else { return nil }
        self.value = trimmed
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// `text` with every occurrence of the token replaced.
    public func redact(_ text: String) -> String {
        text.replacingOccurrences(of: value, with: "<redacted>")
    }
}
