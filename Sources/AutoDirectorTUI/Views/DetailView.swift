import AutoDirectorCore

/// The selected shot's detail: a row of tabs, then the tab's lines (or the image preview), or
/// the live diff preview while a patch is typed.
enum DetailView {
    static func draw(_ state: AppState, _ rect: Layout.Rect, _ theme: Theme, into frame: inout Frame) {
        var x = rect.x
        for tab in DetailTab.allCases {
            let label = " \(tab.title) "
            x += frame.put(label, x: x, y: rect.y, style: tab == state.tab ? theme.tabActive : theme.tab, limit: rect.x + rect.width - x)
            x += 1
        }
        if let current = state.current {
            let info = " \(current.shot.id) v\(current.shot.latestVersion)"
            let clean = TerminalText.clean(info, ascii: theme.ascii)
            let room = rect.x + rect.width - x
            if room > 4 { frame.put(TerminalText.truncate(clean, to: room, ascii: theme.ascii), x: x, y: rect.y, style: theme.dim) }
        }
        let body = Layout.Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        if case .patch(let id, _) = state.prompt {
            lines(["Patch \(id) — preview of the changes:"] + state.patchPreview, scroll: 0, body, theme, into: &frame)
            return
        }
        switch state.confirmation {
        case .edited(let id, _)?:
            lines(["New version of \(id) — changes:"] + state.patchPreview, scroll: 0, body, theme, into: &frame)
            return
        case .refine(let refinement)?:
            lines(["Refine \(refinement.base.shotID) v\(refinement.base.number) — FIBO's structured prompt changes:"] + state.patchPreview, scroll: 0, body, theme, into: &frame)
            return
        default:
            break
        }
        guard let detail = state.detail, detail.version.shotID == state.current?.shot.id else {
            lines([state.total == 0 ? "No shots match." : "Loading…"], scroll: 0, body, theme, into: &frame)
            return
        }
        if state.tab == .preview {
            let marks = detail.pinMarks(focused: state.focusedNote)
            // While a pin is placed the picture is drawn in cells, the crosshair in them: each
            // key moves it at once, with nothing to encode again.
            if let placement = state.pinning {
                PreviewView.draw(detail, body, theme, marks: marks + placement.marks, into: &frame)
                return
            }
            if state.imageMode.drawnBesideCurses(truecolor: state.truecolor), let artifact = detail.artifact, detail.preview != nil,
                PreviewView.drawGraphics(
                    detail, artifact, body, state.imageMode, state.cellPixels, marks: marks, failed: state.failedGraphics, theme, into: &frame)
            {
                return
            }
            PreviewView.draw(detail, body, theme, marks: marks, into: &frame)
            return
        }
        let text = detail.lines[state.tab] ?? []
        // Only the rows in view are wrapped (and kept for the next frame): a 10,000-line spec
        // costs a frame what a short one does.
        let width = body.width - 1
        let shown = detail.wrapCache.rows(state.detailScroll..<(state.detailScroll + max(0, body.height)), of: text, tab: state.tab, width: width, ascii: theme.ascii)
        draw(shown, body, theme, into: &frame, diff: state.tab == .diff)
    }

    /// Texts that are not a detail tab (messages, a patch's preview, the compare view's
    /// changes): wrapped each frame, but only down to the last row in view.
    static func lines(_ lines: [String], scroll: Int, _ rect: Layout.Rect, _ theme: Theme, into frame: inout Frame, diff: Bool = false) {
        var shown: [WrappedLines.Row] = []
        for line in lines {
            if shown.count >= scroll + rect.height { break }
            shown += wrap(line, width: rect.width - 1, ascii: theme.ascii)
        }
        draw(shown.dropFirst(scroll), rect, theme, into: &frame, diff: diff)
    }

    /// Draws wrapped rows from the top of `rect`, as many as fit.
    private static func draw(_ rows: ArraySlice<WrappedLines.Row>, _ rect: Layout.Rect, _ theme: Theme, into frame: inout Frame, diff: Bool) {
        for (row, (text, first)) in rows.prefix(max(0, rect.height)).enumerated() {
            var style = theme.text
            if diff && first.hasPrefix("+") { style = theme.added }
            if diff && first.hasPrefix("-") { style = theme.removed }
            frame.put(text, x: rect.x + 1, y: rect.y + row, style: style, limit: rect.width - 1)
        }
    }

    /// Rows of the detail panel's text for `tab` at the panel's width, counted up to `limit`
    /// (wrapping no further than that): what scrolling needs to know.
    static func rowCount(_ detail: ShotDetail, _ tab: DetailTab, width: Int, ascii: Bool, upTo limit: Int) -> Int {
        detail.wrapCache.rowCount(of: detail.lines[tab] ?? [], tab: tab, width: width, ascii: ascii, upTo: limit)
    }

    /// `lines`, each through `wrap`.
    static func wrapped(_ lines: [String], width: Int, ascii: Bool) -> [WrappedLines.Row] {
        lines.flatMap { wrap($0, width: width, ascii: ascii) }
    }

    /// A line cleaned for the terminal and wrapped to `width` columns, so every line can be read
    /// at 80×24; a continuation is indented two columns past its line's own indentation, and a
    /// break falls after a space where the row has one (a hash or a path breaks anywhere). Each
    /// piece keeps its whole line (the diff colours follow its start). A line is cleaned only
    /// as far as sixteen rows of it, then cut with "…": a megabyte cell costs a frame little.
    static func wrap(_ raw: String, width: Int, ascii: Bool) -> [WrappedLines.Row] {
        guard width > 4 else { return [(raw, raw)] }
        let limit = 16 * width
        var text = TerminalText.clean(raw, ascii: ascii, limit: limit)
        if text.unicodeScalars.count >= limit, raw.unicodeScalars.count > limit { text += ascii ? "~" : "…" }
        if TerminalText.width(text) <= width {
            return [(text, text)]
        }
        var out: [WrappedLines.Row] = []
        let leading = text.prefix { $0 == " " }.count
        let indent = Array(repeating: Character(" "), count: min(width / 2, leading + 2))
        var piece: [Character] = []
        var used = 0
        // Where this row's content starts: a break before it would only emit blank space.
        var contentStart = leading
        for character in text {
            let columns = TerminalText.columns(of: character)
            if used + columns > width {
                var carry: [Character] = []
                if let space = piece.lastIndex(of: " "), space > contentStart, indent.count + piece.count - space - 1 < width {
                    carry = Array(piece[(space + 1)...])
                    piece.removeSubrange(space...)
                }
                out.append((String(piece), text))
                piece = indent + carry
                used = piece.reduce(0) { $0 + TerminalText.columns(of: $1) }
                contentStart = indent.count
            }
            piece.append(character)
            used += columns
        }
        if !piece.isEmpty { out.append((String(piece), text)) }
        return out
    }
}

/// The image drawn with half blocks: each cell shows two pixels, the upper as foreground of
/// "▀" and the lower as background, in the 256-colour cube. Without colours (or in ASCII) a
/// placeholder gives the image's size and hash.
enum PreviewView {
    static func draw(_ detail: ShotDetail, _ rect: Layout.Rect, _ theme: Theme, marks: [PinPainter.Mark] = [], into frame: inout Frame) {
        guard let image = detail.preview else {
            let status = detail.version.renderStatus
            let text = status == .rendered
                ? [detail.previewProblem ?? "Rendered, but the image cannot be previewed here."]
                : ["No image yet (\(status.rawValue.replacingOccurrences(of: "_", with: " "))).", "R renders this shot."]
            DetailView.lines(text, scroll: 0, rect, theme, into: &frame)
            return
        }
        guard theme.colors, !theme.ascii else {
            DetailView.lines([
                "[image \(image.originalWidth)x\(image.originalHeight)]",
                "sha256 \(image.sha256)",
                "(no colours here: the preview needs a 256-colour terminal without NO_COLOR)",
            ], scroll: 0, rect, theme, into: &frame)
            return
        }
        let cells = halfBlocks(image, rect, marks: marks, into: &frame)
        let caption = "\(image.originalWidth)×\(image.originalHeight) \(image.sha256.prefix(12))" + pinCaption(marks)
        if cells.height < rect.height {
            frame.put(caption, x: rect.x + 1, y: rect.y + cells.height, style: theme.dim, limit: rect.width - 1)
        }
    }

    /// " · 2 pins", for a caption.
    static func pinCaption(_ marks: [PinPainter.Mark]) -> String {
        let numbered = marks.filter { $0.number > 0 }.count
        return numbered == 0 ? "" : " · \(numbered) pin\(numbered == 1 ? "" : "s")"
    }

    /// The image in half blocks, centred in `rect` (less one row for a caption), `marks` painted
    /// into its pixels at the cells' resolution; returns its size in cells.
    @discardableResult
    static func halfBlocks(_ image: PreviewImage, _ rect: Layout.Rect, marks: [PinPainter.Mark] = [], into frame: inout Frame) -> (width: Int, height: Int) {
        let cells = fit(image, rect)
        let left = rect.x + (rect.width - cells.width) / 2
        let (width, height) = (cells.width, cells.height * 2)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let from = sourceIndex(image, x, y, cells)
                let to = (y * width + x) * 3
                guard from + 2 < image.rgb.count else { continue }
                (pixels[to], pixels[to + 1], pixels[to + 2]) = (image.rgb[from], image.rgb[from + 1], image.rgb[from + 2])
            }
        }
        if !marks.isEmpty { PinPainter.paint(marks, on: &pixels, width: width, height: height) }
        func colour(_ x: Int, _ y: Int) -> UInt8 {
            let i = (y * width + x) * 3
            return xterm256(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        for row in 0..<cells.height {
            for column in 0..<cells.width {
                let style = CellStyle(foreground: .indexed(colour(column, row * 2)), background: .indexed(colour(column, row * 2 + 1)))
                frame[left + column, rect.y + row] = Cell("▀", style: style)
            }
        }
        return cells
    }

    /// A picture beside curses (a graphics mode, or 24-bit symbols): the panel's cells stay
    /// blank and the frame says where the terminal draws the image; the caption goes below it.
    /// False when the image cannot be shown that way — kitty and sixel need a PNG, and an image
    /// whose encoding failed is not tried again — so the caller draws half blocks instead.
    static func drawGraphics(
        _ detail: ShotDetail, _ artifact: Artifact, _ rect: Layout.Rect, _ mode: ImageMode, _ cell: CellPixels, marks: [PinPainter.Mark] = [],
        failed: Set<String>, _ theme: Theme, into frame: inout Frame
    ) -> Bool {
        guard artifact.mime == "image/png" || mode == .iterm2, let image = detail.preview else { return false }
        let cells = mode == .symbols ? fit(image, rect) : fit(width: image.originalWidth, height: image.originalHeight, cell: cell, rect)
        let placement = GraphicsPlacement(
            x: rect.x + (rect.width - cells.width) / 2, y: rect.y, columns: cells.width, rows: cells.height, mode: mode,
            path: artifact.path, sha256: artifact.imageSHA256, mime: artifact.mime, marks: marks)
        guard !failed.contains(placement.key) else { return false }
        frame.graphics.append(placement)
        // Symbols are the same half blocks, each pixel in its own 24-bit colour.
        let caption = "\(image.originalWidth)×\(image.originalHeight) \(image.sha256.prefix(12)) · \(mode == .symbols ? "24-bit" : mode.rawValue)"
            + pinCaption(marks)
        if cells.height < rect.height {
            frame.put(caption, x: rect.x + 1, y: rect.y + cells.height, style: theme.dim, limit: rect.width - 1)
        }
        return true
    }

    /// The largest size in cells that keeps an image's aspect ratio, for cells of `cell` pixels,
    /// leaving a row for the caption.
    static func fit(width: Int, height: Int, cell: CellPixels, _ rect: Layout.Rect) -> (width: Int, height: Int) {
        let maxWidth = max(1, rect.width - 2)
        let maxHeight = max(1, rect.height - 1)
        let aspect = Double(max(1, width)) / Double(max(1, height))
        var columns = maxWidth
        var rows = Int((Double(columns * cell.width) / aspect / Double(cell.height)).rounded())
        if rows > maxHeight {
            rows = maxHeight
            columns = Int((Double(rows * cell.height) * aspect / Double(cell.width)).rounded())
        }
        return (max(1, min(columns, maxWidth)), max(1, rows))
    }

    /// The largest size in cells (two pixel rows per cell) that keeps the aspect ratio.
    static func fit(_ image: PreviewImage, _ rect: Layout.Rect) -> (width: Int, height: Int) {
        let maxWidth = max(1, rect.width - 2)
        let maxHeight = max(1, rect.height - 1)
        // Cells are about twice as tall as wide: one cell row holds two pixel rows.
        var width = maxWidth
        var height = Int((Double(width) * Double(image.height) / Double(max(1, image.width)) / 2).rounded())
        if height > maxHeight {
            height = maxHeight
            width = Int((Double(height) * 2 * Double(image.width) / Double(max(1, image.height))).rounded())
        }
        return (max(1, min(width, maxWidth)), max(1, height))
    }

    /// Where a cell's pixel comes from in the image (nearest neighbour): an index into its RGB.
    static func sourceIndex(_ image: PreviewImage, _ column: Int, _ pixelRow: Int, _ cells: (width: Int, height: Int)) -> Int {
        let x = min(image.width - 1, column * image.width / max(1, cells.width))
        let y = min(image.height - 1, pixelRow * image.height / max(1, cells.height * 2))
        return (y * image.width + x) * 3
    }

    /// The nearest colour of the xterm 6×6×6 cube or its grey ramp.
    static func xterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
        let levels = [0, 95, 135, 175, 215, 255]
        let (cr, cg, cb) = (level(r), level(g), level(b))
        let cube = 16 + 36 * cr + 6 * cg + cb
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grey = average > 238 ? 23 : max(0, (average - 3) / 10)
        let greyValue = 8 + grey * 10
        // (The parameters are not named r, g, b: one named b once hid the blue channel, and every
        // saturated colour came out grey.)
        func distance(_ red: Int, _ green: Int, _ blue: Int) -> Int {
            (Int(r) - red) * (Int(r) - red) + (Int(g) - green) * (Int(g) - green) + (Int(b) - blue) * (Int(b) - blue)
        }
        let cubeDistance = distance(levels[cr], levels[cg], levels[cb])
        let greyDistance = distance(greyValue, greyValue, greyValue)
        return UInt8(greyDistance < cubeDistance ? 232 + grey : cube)
    }
}
