import AutoDirectorCore

/// The batch table: only the visible rows are drawn, from the loaded window of rows.
enum TableView {
    static func draw(_ state: AppState, _ rect: Layout.Rect, _ theme: Theme, into frame: inout Frame) {
        // The id column is as wide as the loaded ids need (within bounds); the subject takes the rest.
        let widestID = state.page?.rows.lazy.map { TerminalText.width(TerminalText.clean($0.shot.id, limit: 32)) }.max() ?? 8
        let idWidth = max(6, min(24, widestID + 1)), versionWidth = 4, renderWidth = 12, reviewWidth = 9, hashWidth = 9
        // A project with approval stages shows each shot's progress through them (`art ✓ brand ·`).
        let stages = state.stages
        let stagesWidth = stages.isStaged ? TerminalText.width(stages.progress(approved: [], status: .pending, ascii: true)) + 1 : 0
        let subjectWidth = max(
            8, rect.width - 2 - idWidth - versionWidth - renderWidth - reviewWidth - hashWidth - 5 - (stages.isStaged ? stagesWidth + 1 : 0))
        let columns: [(String, Int)] = [
            ("SHOT", idWidth), ("SUBJECT", subjectWidth), ("VER", versionWidth), ("RENDER", renderWidth), ("REVIEW", reviewWidth),
        ] + (stages.isStaged ? [("STAGES", stagesWidth)] : []) + [("HASH", hashWidth)]
        var x = rect.x + 2
        for (title, width) in columns {
            frame.put(TerminalText.pad(title, to: width), x: x, y: rect.y, style: theme.header, limit: min(width, rect.x + rect.width - x))
            x += width + 1
        }
        for line in 0..<(rect.height - 1) {
            let index = state.scroll + line
            let y = rect.y + 1 + line
            guard index < state.total else { break }
            let isCursor = index == state.cursor
            guard let row = state.row(at: index) else {
                frame.put(theme.ascii ? "  ..." : "  …", x: rect.x, y: y, style: theme.dim, limit: rect.width)
                continue
            }
            let base = isCursor ? theme.cursor : theme.text
            if isCursor { frame.fill(x: rect.x, y: y, width: rect.width, height: 1, style: base) }
            if state.selection.contains(row.shot.id) {
                frame.put(theme.mark, x: rect.x, y: y, style: isCursor ? base : theme.selected)
            }
            // The cursor shows without colour too (monochrome, and text snapshots).
            if isCursor { frame.put(theme.ascii ? ">" : "›", x: rect.x + 1, y: y, style: base) }
            let progress = stages.progress(approved: row.approvedStages, status: row.review, ascii: theme.ascii)
            let cells: [(String, Int, CellStyle)] = [
                (row.shot.id, idWidth, base),
                (row.shot.subject, subjectWidth, base),
                // Changed by someone else since my last visit: marked beside the version.
                ("v\(row.shot.latestVersion)" + (row.isNew ? (theme.ascii ? "*" : "•") : ""), versionWidth, base),
                (row.renderStatus.rawValue.replacingOccurrences(of: "_", with: " "), renderWidth, isCursor ? base : theme.render(row.renderStatus.rawValue)),
                (row.review.shortLabel, reviewWidth, isCursor ? base : theme.review(row.review.rawValue)),
            ] + (stages.isStaged ? [(progress, stagesWidth, base)] : []) + [
                (String(row.hash.prefix(8)), hashWidth, isCursor ? base : theme.dim),
            ]
            var x = rect.x + 2
            for (text, width, style) in cells {
                let clean = TerminalText.truncate(TerminalText.clean(text, ascii: theme.ascii, limit: 4 * width + 4), to: width, ascii: theme.ascii)
                frame.put(clean, x: x, y: y, style: style, limit: min(width, rect.x + rect.width - x))
                x += width + 1
            }
        }
    }
}
