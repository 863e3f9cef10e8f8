import Foundation

/// Preferences of the terminal UI beside the keymap, in `$XDG_CONFIG_HOME/autodirector/tui.conf`
/// (default `~/.config/…`), one `name = value` per line, `#` comments:
///
///     # After a or r, move to the next shot still pending (yes) or stay on the decided one (no).
///     advance_after_review = no
///     # Saved filters, chosen in turn with w (the same terms as after /).
///     view.mine = assignee:@me status:pending
///     view.brand = stage:brand notes:open
public struct TUISettings: Sendable, Equatable {
    public var advanceAfterReview = true
    public var views: [View] = []

    /// A saved filter: its name and its terms (`ShotFilter`).
    public struct View: Sendable, Equatable {
        public var name: String
        public var terms: String

        public init(name: String, terms: String) {
            self.name = name
            self.terms = terms
        }
    }

    public init() {}

    /// The settings a file gives, and a problem per line that could not be read.
    public static func load(_ text: String) -> (TUISettings, [String]) {
        var settings = TUISettings()
        var problems: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            // A view keeps its terms as written (a reviewer's name, a word of a subject).
            if let name = parts.first, name.hasPrefix("view."), parts.count == 2 {
                let written = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let viewName = String(written[0].dropFirst(5))
                let terms = written[1]
                if !viewName.isEmpty, viewName.count <= 32, viewName.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
                    !terms.isEmpty
                {
                    settings.views.removeAll { $0.name == viewName }
                    settings.views.append(View(name: viewName, terms: TerminalText.clean(terms, limit: 500)))
                } else {
                    problems.append("tui.conf line \(index + 1): expected `view.NAME = terms` (a name of letters, digits, - and _)")
                }
                continue
            }
            switch (parts.first, parts.count == 2 ? parts[1] : nil) {
            case ("advance_after_review", let value?) where ["yes", "true", "on"].contains(value):
                settings.advanceAfterReview = true
            case ("advance_after_review", let value?) where ["no", "false", "off"].contains(value):
                settings.advanceAfterReview = false
            default:
                problems.append("tui.conf line \(index + 1): expected `advance_after_review = yes|no` or `view.NAME = terms` (got \(TerminalText.clean(String(line.prefix(60)))))")
            }
        }
        return (settings, problems)
    }

    public static func fileURL(environment: [String: String]) -> URL? {
        Keymap.fileURL(environment: environment)?.deletingLastPathComponent().appendingPathComponent("tui.conf")
    }
}
