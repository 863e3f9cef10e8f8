import Foundation

/// Preferences of the terminal UI beside the keymap, in `$XDG_CONFIG_HOME/autodirector/tui.conf`
/// (default `~/.config/…`), one `name = value` per line, `#` comments:
///
///     # After a or r, move to the next shot still pending (yes) or stay on the decided one (no).
///     advance_after_review = no
public struct TUISettings: Sendable, Equatable {
    public var advanceAfterReview = true

    public init() {}

    /// The settings a file gives, and a problem per line that could not be read.
    public static func load(_ text: String) -> (TUISettings, [String]) {
        var settings = TUISettings()
        var problems: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            switch (parts.first, parts.count == 2 ? parts[1] : nil) {
            case ("advance_after_review", let value?) where ["yes", "true", "on"].contains(value):
                settings.advanceAfterReview = true
            case ("advance_after_review", let value?) where ["no", "false", "off"].contains(value):
                settings.advanceAfterReview = false
            default:
                problems.append("tui.conf line \(index + 1): expected `advance_after_review = yes|no` (got \(TerminalText.clean(String(line.prefix(60)))))")
            }
        }
        return (settings, problems)
    }

    public static func fileURL(environment: [String: String]) -> URL? {
        Keymap.fileURL(environment: environment)?.deletingLastPathComponent().appendingPathComponent("tui.conf")
    }
}
