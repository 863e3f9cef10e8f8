import CNCursesW
import Foundation

/// What `doctor` needs that curses would otherwise tell: the locale's UTF-8 and terminfo's colours.
public enum TerminalReport {
    /// Whether the locale (LANG, LC_ALL, LC_CTYPE) is UTF-8, and its codeset's name.
    public static func locale() -> (utf8: Bool, codeset: String) {
        setlocale(LC_ALL, "")
        let codeset = cnc_codeset().map { String(cString: $0) } ?? "unknown"
        return (CursesScreen.isUTF8Codeset(codeset), codeset)
    }

    /// The colours terminfo gives `term`; nil when it has no entry for it.
    public static func terminfoColors(term: String) -> Int? {
        guard !term.isEmpty else { return nil }
        let colors = cnc_terminfo_colors(term)
        return colors < 0 ? nil : Int(colors)
    }

    /// `doctor`'s capabilities: asks the terminal when standard input and output are one.
    public static func capabilities(environment: [String: String]) -> (TerminalCapabilities, asked: Bool, codeset: String, terminfoColors: Int?) {
        let (utf8, codeset) = locale()
        let colors = terminfoColors(term: environment["TERM"] ?? "")
        let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let capabilities = TerminalProbe.capabilities(environment: environment, utf8: utf8, terminfoColors: colors ?? 0, ask: interactive)
        return (capabilities, interactive, codeset, colors)
    }
}
