import ArgumentParser
import AutoDirectorCore
import AutoDirectorTUI
import Foundation

/// `doctor`: what this terminal can show the TUI's preview with, and what to change for more.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "What this terminal supports (colours, UTF-8, image mode and why, tmux passthrough, cell size) and what to change to get more.")

    @OptionGroup var output: OutputOptions

    func run() throws {
        let environment = CommandContext.current.environment
        let (capabilities, asked, codeset, terminfoColors) = TerminalReport.capabilities(environment: environment)
        let term = TextSanitizer.visible(capabilities.term.isEmpty ? "(unset)" : capabilities.term, limit: 80)
        let colors: String
        switch capabilities.colors {
        case .none: colors = "none"
        case .basic: colors = "8"
        case .palette: colors = "256"
        case .truecolor: colors = "truecolor (24-bit)"
        }
        let tmux: String
        switch capabilities.tmuxPassthrough {
        case nil: tmux = "not inside tmux"
        case .on?: tmux = "inside tmux, allow-passthrough on: graphics reach the terminal"
        case .off?: tmux = "inside tmux, allow-passthrough off: graphics do not reach the terminal"
        case .unknown?: tmux = "inside tmux, allow-passthrough unknown (`tmux show -gv allow-passthrough` did not answer)"
        }
        let cell = "\(capabilities.cellPixels.width)×\(capabilities.cellPixels.height) px, from \(capabilities.cellPixelsSource)"
        if output.json {
            Print.json([
                "term": .string(capabilities.term), "terminal": capabilities.terminalName.map(JSONValue.string) ?? .null,
                "asked_terminal": .bool(asked), "colors": .string(capabilities.colors.rawValue),
                "terminfo_colors": terminfoColors.map { .number(Double($0)) } ?? .null,
                "utf8": .bool(capabilities.utf8), "codeset": .string(codeset),
                "image_mode": .string(capabilities.mode.rawValue), "reason": .string(capabilities.reason),
                "tmux": capabilities.tmuxPassthrough.map { ["passthrough": .string($0.rawValue)] } ?? .null,
                "cell_pixels": ["width": .number(Double(capabilities.cellPixels.width)), "height": .number(Double(capabilities.cellPixels.height)),
                                "source": .string(capabilities.cellPixelsSource)],
                "advice": .array(capabilities.advice.map(JSONValue.string)),
            ])
            return
        }
        var lines = [
            "terminal:   TERM=\(term)\(capabilities.terminalName.map { ", says it is \(TextSanitizer.visible($0, limit: 80))" } ?? "")"
                + (asked ? "" : " (not asked: standard input or output is not a terminal)"),
            "colours:    \(colors)\(terminfoColors.map { " (terminfo: \($0))" } ?? " (terminfo has no entry for this TERM)")",
            "UTF-8:      \(capabilities.utf8 ? "yes" : "no") (codeset \(TextSanitizer.visible(codeset, limit: 40)))",
            "images:     \(capabilities.mode.rawValue) — \(TextSanitizer.visible(capabilities.reason, limit: 300))",
            "tmux:       \(tmux)",
            "cell size:  \(cell)",
        ]
        if capabilities.advice.isEmpty {
            lines.append("Nothing to change: the preview shows the image itself.")
        } else {
            lines.append("To get more:")
            lines += capabilities.advice.map { "  - \($0)" }
        }
        lines.append("Force a mode with AUTODIRECTOR_IMAGES=kitty|iterm2|sixel|symbols|off.")
        Print.line(lines.joined(separator: "\n"))
    }
}
