/// Styles of the screen, in 256 colours or monochrome (attributes only).
struct Theme {
    let colors: Bool
    let ascii: Bool

    var title: CellStyle { colors ? CellStyle(foreground: .indexed(231), background: .indexed(24), bold: true) : CellStyle(bold: true, reverse: true) }
    var header: CellStyle { colors ? CellStyle(foreground: .indexed(250), bold: true, underline: true) : CellStyle(bold: true, underline: true) }
    var text: CellStyle { .plain }
    var dim: CellStyle { colors ? CellStyle(foreground: .indexed(245)) : CellStyle(dim: true) }
    var cursor: CellStyle { colors ? CellStyle(foreground: .indexed(231), background: .indexed(31)) : CellStyle(reverse: true) }
    var selected: CellStyle { colors ? CellStyle(foreground: .indexed(220), bold: true) : CellStyle(bold: true) }
    var tabActive: CellStyle { colors ? CellStyle(foreground: .indexed(231), background: .indexed(31), bold: true) : CellStyle(bold: true, reverse: true) }
    var tab: CellStyle { colors ? CellStyle(foreground: .indexed(250)) : .plain }
    var status: CellStyle { colors ? CellStyle(foreground: .indexed(252), background: .indexed(236)) : CellStyle(reverse: true) }
    var error: CellStyle { colors ? CellStyle(foreground: .indexed(231), background: .indexed(124), bold: true) : CellStyle(bold: true, reverse: true) }
    var prompt: CellStyle { colors ? CellStyle(foreground: .indexed(231), background: .indexed(237)) : CellStyle(underline: true) }
    var border: CellStyle { colors ? CellStyle(foreground: .indexed(240)) : .plain }
    var barDone: CellStyle { colors ? CellStyle(foreground: .indexed(71)) : .plain }
    var added: CellStyle { colors ? CellStyle(foreground: .indexed(71)) : .plain }
    var removed: CellStyle { colors ? CellStyle(foreground: .indexed(167)) : .plain }

    func review(_ value: String) -> CellStyle {
        guard colors else { return value == "approved" ? CellStyle(bold: true) : .plain }
        switch value {
        case "approved": return CellStyle(foreground: .indexed(71))
        case "rejected": return CellStyle(foreground: .indexed(167))
        case "changes_requested": return CellStyle(foreground: .indexed(178))
        case "on_hold": return CellStyle(foreground: .indexed(110))
        default: return CellStyle(foreground: .indexed(250))
        }
    }

    func render(_ value: String) -> CellStyle {
        guard colors else { return value == "failed" || value == "blocked" ? CellStyle(bold: true) : .plain }
        switch value {
        case "rendered", "done", "cached": return CellStyle(foreground: .indexed(71))
        case "failed", "blocked": return CellStyle(foreground: .indexed(167), bold: true)
        case "queued", "running": return CellStyle(foreground: .indexed(179))
        default: return CellStyle(foreground: .indexed(245))
        }
    }

    var vertical: String { ascii ? "|" : "│" }
    var horizontal: String { ascii ? "-" : "─" }
    var mark: String { ascii ? "*" : "●" }
    var barFull: String { ascii ? "#" : "█" }
    var barEmpty: String { ascii ? "." : "░" }
}
