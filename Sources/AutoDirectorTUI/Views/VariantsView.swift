import AutoDirectorCore

/// A version's seed variants (`V`): a grid of their pictures, each under its seed, the one in
/// focus highlighted; `f` shows it alone at full size. Pictures are drawn as the compare view
/// draws them: half blocks in symbols mode, the terminal's own pictures in graphics modes.
enum VariantsView {
    static func draw(_ state: AppState, _ variants: VariantsState, _ rect: Layout.Rect, _ theme: Theme, into frame: inout Frame) {
        let shot = TerminalText.clean(variants.shotID, ascii: theme.ascii)
        guard let data = variants.data else {
            frame.put("Rendering the seed variants of \(shot)…", x: rect.x + 1, y: rect.y, style: theme.dim, limit: rect.width - 1)
            return
        }
        let keys = "←→ choose · f \(variants.fullSize ? "grid" : "full") · Enter pick · Esc"
        let title = "Variants of \(shot) v\(data.base.number) (seed \(data.base.seed))  \(keys)"
        frame.put(TerminalText.truncate(TerminalText.clean(title, ascii: theme.ascii), to: rect.width - 1, ascii: theme.ascii), x: rect.x + 1, y: rect.y, style: theme.header, limit: rect.width - 1)
        let body = Layout.Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard !data.variants.isEmpty else { return }
        if variants.fullSize, data.variants.indices.contains(variants.focus) {
            pane(data.variants[variants.focus], index: variants.focus, of: data.variants.count, focused: true, body, state, theme, into: &frame)
            return
        }
        // Two columns; as many rows as it takes (two for the usual four).
        let columns = min(2, data.variants.count)
        let rows = (data.variants.count + columns - 1) / columns
        let width = (body.width - (columns - 1)) / columns
        let height = body.height / rows
        for (index, variant) in data.variants.enumerated() {
            let cell = Layout.Rect(
                x: body.x + (index % columns) * (width + 1), y: body.y + (index / columns) * height, width: width, height: height)
            if index % columns > 0 {
                for y in cell.y..<(cell.y + cell.height) { frame[cell.x - 1, y] = Cell(theme.vertical, style: theme.border) }
            }
            pane(variant, index: index, of: data.variants.count, focused: index == variants.focus, cell, state, theme, into: &frame)
        }
    }

    private static func pane(
        _ variant: VariantSide, index: Int, of count: Int, focused: Bool, _ rect: Layout.Rect, _ state: AppState, _ theme: Theme, into frame: inout Frame
    ) {
        guard rect.height >= 2, rect.width >= 4 else { return }
        let marker = focused ? (theme.ascii ? "> " : "▸ ") : "  "
        let text = "\(marker)\(index + 1)/\(count) · seed \(variant.seed) · \(variant.cached ? "cached" : "rendered") · \(variant.hash.prefix(8))"
        frame.put(TerminalText.truncate(text, to: rect.width - 1, ascii: theme.ascii), x: rect.x + 1, y: rect.y, style: focused ? theme.selected : theme.dim, limit: rect.width - 1)
        let imageRect = Layout.Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard let preview = variant.preview else {
            DetailView.lines(["No preview for seed \(variant.seed) (not a PNG)."], scroll: 0, imageRect, theme, into: &frame)
            return
        }
        CompareView.image(preview, artifact: variant.artifact, png: nil, key: nil, imageRect, state, theme, into: &frame)
    }
}
