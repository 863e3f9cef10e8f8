/// What this terminal can show, and why: the image mode chosen at start-up (and by `doctor`).
///
/// Order, as careful tools do it: `AUTODIRECTOR_IMAGES` wins; then the terminal's own answers to
/// the start-up queries; then environment hints (`TERM`, `TERM_PROGRAM`, `KITTY_WINDOW_ID`, which
/// SSH rarely forwards — hence the queries first); then symbols, then text. Inside tmux graphics
/// need `allow-passthrough`; without it the preview falls back to symbols and says how to fix it.
public struct TerminalCapabilities: Sendable, Equatable {
    public enum Passthrough: String, Sendable, Equatable { case on, off, unknown }

    public var term: String
    public var colors: ColorDepth
    public var utf8: Bool
    public var mode: ImageMode
    /// Why `mode` was chosen, in a sentence.
    public var reason: String
    /// Inside tmux: whether it forwards graphics to the terminal (`nil` outside tmux).
    public var tmuxPassthrough: Passthrough?
    public var cellPixels: CellPixels
    /// Where `cellPixels` came from: "the terminal", "the window size ioctl" or "assumed".
    public var cellPixelsSource: String
    /// The terminal's name, when it said (XTVERSION).
    public var terminalName: String?
    /// What to change to get more, one sentence each.
    public var advice: [String]

    public var insideTmux: Bool { tmuxPassthrough != nil }

    /// `answers`: nil when the terminal was not asked (or answered nothing).
    /// `ioctlCellPixels`: what TIOCGWINSZ's pixel fields give (zeros over many SSH links).
    public static func decide(
        environment: [String: String], answers: TerminalAnswers?, tmuxPassthrough: Passthrough?, utf8: Bool,
        terminfoColors: Int, ioctlCellPixels: CellPixels? = nil
    ) -> TerminalCapabilities {
        let term = environment["TERM"] ?? ""
        let noColor = NoColor.requested(by: environment)
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        let colors: ColorDepth
        if noColor || terminfoColors < 8 {
            colors = .none
        } else if colorTerm == "truecolor" || colorTerm == "24bit" {
            colors = .truecolor
        } else if terminfoColors >= 256 {
            colors = .palette
        } else {
            colors = .basic
        }
        var cellPixels = CellPixels.assumed
        var cellSource = "assumed (the terminal did not say)"
        if let asked = answers?.cellPixels {
            (cellPixels, cellSource) = (asked, "the terminal")
        } else if let ioctl = ioctlCellPixels, (2...64).contains(ioctl.width), (4...128).contains(ioctl.height) {
            (cellPixels, cellSource) = (ioctl, "the window size ioctl")
        }
        var capabilities = TerminalCapabilities(
            term: term, colors: colors, utf8: utf8, mode: .off, reason: "", tmuxPassthrough: tmuxPassthrough,
            cellPixels: cellPixels, cellPixelsSource: cellSource, terminalName: answers?.version, advice: [])
        capabilities.choose(environment: environment, answers: answers)
        // Inside tmux the terminal's answers are tmux's: whatever was detected, graphics need
        // passthrough.
        if tmuxPassthrough == .off, !capabilities.advice.contains(where: { $0.contains("allow-passthrough") }) {
            capabilities.advice.insert(
                "Inside tmux, images need `set -g allow-passthrough on` in ~/.tmux.conf (tmux ≥ 3.3; then `tmux source ~/.tmux.conf`) and a terminal outside that draws them.",
                at: 0)
        }
        return capabilities
    }

    /// The fallback without graphics: symbols when colours and UTF-8 allow, else text.
    private var textMode: (ImageMode, String) {
        if colors == .none { return (.off, "no colours (NO_COLOR, or a terminal without them)") }
        if !utf8 { return (.off, "the locale is not UTF-8, so block symbols cannot be drawn") }
        return (.symbols, colors == .truecolor ? "symbols in 24-bit colour (COLORTERM)" : "symbols in \(colors == .palette ? "256" : "8") colours")
    }

    private mutating func choose(environment: [String: String], answers: TerminalAnswers?) {
        if let forced = environment["AUTODIRECTOR_IMAGES"], !forced.isEmpty {
            if let mode = ImageMode(rawValue: forced.lowercased()) {
                (self.mode, reason) = (mode, "AUTODIRECTOR_IMAGES=\(forced)")
                if mode.isGraphics, tmuxPassthrough == .off {
                    advice.append("tmux does not pass graphics through: add `set -g allow-passthrough on` to ~/.tmux.conf (tmux ≥ 3.3), then `tmux source ~/.tmux.conf`.")
                }
                return
            }
            advice.append("AUTODIRECTOR_IMAGES=\(TerminalText.clean(String(forced.prefix(40)))) is not a mode; use kitty, iterm2, sixel, symbols or off.")
        }
        let (fallback, fallbackReason) = textMode
        var graphics: (ImageMode, String)?
        if let answers {
            if answers.kittyGraphics {
                graphics = (.kitty, "the terminal answered the kitty graphics query")
            } else if let name = answers.version, Self.itermLike(name) {
                graphics = (.iterm2, "the terminal says it is \(name) (XTVERSION)")
            } else if answers.sixel {
                graphics = (.sixel, "the terminal's device attributes list sixel")
            }
        }
        if graphics == nil {
            let program = environment["TERM_PROGRAM"] ?? ""
            if term.contains("kitty") || environment["KITTY_WINDOW_ID"] != nil || term == "xterm-ghostty" || program == "ghostty" {
                graphics = (.kitty, "TERM/KITTY_WINDOW_ID name a kitty-protocol terminal")
            } else if program == "iTerm.app" || program == "WezTerm" || program == "vscode" || program == "mintty" || program == "Tabby"
                || environment["LC_TERMINAL"] == "iTerm2"
            {
                graphics = (.iterm2, "TERM_PROGRAM=\(program.isEmpty ? "iTerm2" : program) shows inline images")
            } else if term.hasPrefix("foot") || term.hasPrefix("mlterm") || term == "yaft-256color" {
                graphics = (.sixel, "TERM=\(term) draws sixel")
            }
        }
        if let (mode, why) = graphics {
            if tmuxPassthrough == .off {
                (self.mode, reason) = (fallback, "\(why), but tmux does not pass graphics through; \(fallbackReason)")
                advice.append("Add `set -g allow-passthrough on` to ~/.tmux.conf (tmux ≥ 3.3) and `tmux source ~/.tmux.conf` to see the images themselves.")
            } else {
                (self.mode, reason) = (mode, why)
            }
            return
        }
        (mode, reason) = (fallback, "no graphics protocol answered or named; \(fallbackReason)")
        if fallback == .symbols {
            advice.append("For the picture itself, use a terminal with kitty graphics, iTerm2 images or sixel (kitty, Ghostty, WezTerm, iTerm2, foot), or set AUTODIRECTOR_IMAGES if yours has one and was not detected (common over SSH).")
        }
        if colors == .palette {
            advice.append("If the terminal has 24-bit colour, export COLORTERM=truecolor for truer symbol colours.")
        }
    }

    static func itermLike(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("iterm2") || lower.hasPrefix("wezterm") || lower.hasPrefix("mintty") || lower.hasPrefix("tabby")
    }
}
