import AutoDirectorCore

/// Two versions of a shot side by side (`C`): each image under a line with its version, hash,
/// review status and seed; below them the JSON changes between the two. `f` shows each image in
/// the other's cells, `D` marks on the right where the pixels differ. Images are half blocks in
/// symbols mode and the terminal's own pictures in graphics modes, each with its version's pins.
enum CompareView {
    static func draw(_ state: AppState, _ compare: CompareState, _ rect: Layout.Rect, _ theme: Theme, into frame: inout Frame) {
        guard let data = compare.data else {
            frame.put("Loading the versions of \(TerminalText.clean(compare.shotID, ascii: theme.ascii))…", x: rect.x + 1, y: rect.y, style: theme.dim, limit: rect.width - 1)
            return
        }
        // The changes take up to a third of the height; the images the rest.
        let changeRows = min(max(2, data.changes.count + 1), max(2, rect.height / 3))
        let imageHeight = rect.height - changeRows - 1
        let half = (rect.width - 1) / 2
        let leftRect = Layout.Rect(x: rect.x, y: rect.y, width: half, height: imageHeight)
        let rightRect = Layout.Rect(x: rect.x + half + 1, y: rect.y, width: rect.width - half - 1, height: imageHeight)
        for y in rect.y..<(rect.y + imageHeight) { frame[rect.x + half, y] = Cell(theme.vertical, style: theme.border) }

        let (leftShown, rightShown) = compare.flipped ? (data.right, data.left) : (data.left, data.right)
        pane(leftShown, heading: data.left, flipped: compare.flipped, leftRect, state, theme, into: &frame)
        if compare.showDifference {
            differencePane(data, rightRect, state, theme, into: &frame)
        } else {
            pane(rightShown, heading: data.right, flipped: compare.flipped, rightRect, state, theme, into: &frame)
        }

        let changesY = rect.y + imageHeight
        let title = "Changes v\(data.left.version.number) → v\(data.right.version.number) (\(data.changes == ["(no change)"] ? 0 : data.changes.count))"
            + "   " + KeyHints.compareTitle(state.keymap)
        frame.put(TerminalText.truncate(TerminalText.clean(title, ascii: theme.ascii), to: rect.width - 1, ascii: theme.ascii), x: rect.x + 1, y: changesY, style: theme.header, limit: rect.width - 1)
        let body = Layout.Rect(x: rect.x, y: changesY + 1, width: rect.width, height: rect.height - imageHeight - 1)
        DetailView.lines(data.changes, scroll: 0, body, theme, into: &frame, diff: true)
    }

    /// One side: a heading for the version it stands for, then the image it shows (the other
    /// side's when flipped).
    private static func pane(_ side: CompareSide, heading: CompareSide, flipped: Bool, _ rect: Layout.Rect, _ state: AppState, _ theme: Theme, into frame: inout Frame) {
        let v = heading.version
        // Flipped, the side says first whose image it shows (it stays readable at 80 columns).
        let text = (flipped ? "v\(side.version.number)'s image (f) · " : "") + "v\(v.number) · \(v.shortHash) · \(v.review.label) · seed \(v.seed)"
        frame.put(TerminalText.truncate(text, to: rect.width - 1, ascii: theme.ascii), x: rect.x + 1, y: rect.y, style: flipped ? theme.selected : theme.header, limit: rect.width - 1)
        let imageRect = Layout.Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard let preview = side.preview else {
            let status = side.version.renderStatus.rawValue.replacingOccurrences(of: "_", with: " ")
            DetailView.lines(["No image for v\(side.version.number) (\(status))."], scroll: 0, imageRect, theme, into: &frame)
            return
        }
        image(preview, artifact: side.artifact, png: nil, key: nil, marks: side.marks, imageRect, state, theme, into: &frame)
    }

    private static func differencePane(_ data: CompareData, _ rect: Layout.Rect, _ state: AppState, _ theme: Theme, into frame: inout Frame) {
        let share = data.changedShare.map { String(format: "differs in %.1f%% of pixels", $0 * 100) } ?? "cannot be compared"
        frame.put(TerminalText.truncate("v\(data.right.version.number) vs v\(data.left.version.number) \(share)", to: rect.width - 1, ascii: theme.ascii),
                  x: rect.x + 1, y: rect.y, style: theme.selected, limit: rect.width - 1)
        let imageRect = Layout.Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard let difference = data.difference else {
            DetailView.lines(["Both versions need a rendered image to show where they differ."], scroll: 0, imageRect, theme, into: &frame)
            return
        }
        let key = "difference-\(data.left.version.hash.prefix(16))-\(data.right.version.hash.prefix(16))"
        image(difference, artifact: nil, png: data.differencePNG, key: key, imageRect, state, theme, into: &frame)
    }

    /// An image in `rect`: the terminal's picture in a graphics mode (from the artifact, or from
    /// `png` made here), else half blocks, else its size and hash as text.
    static func image(
        _ preview: PreviewImage, artifact: Artifact?, png: [UInt8]?, key: String?, marks: [PinPainter.Mark] = [], _ rect: Layout.Rect,
        _ state: AppState, _ theme: Theme, into frame: inout Frame
    ) {
        let mode = state.imageMode
        if mode.drawnBesideCurses(truecolor: state.truecolor), artifact?.mime == "image/png" || png != nil {
            let cells = mode == .symbols
                ? PreviewView.fit(preview, rect)
                : PreviewView.fit(width: preview.originalWidth, height: preview.originalHeight, cell: state.cellPixels, rect)
            let left = rect.x + (rect.width - cells.width) / 2
            let placement = GraphicsPlacement(
                x: left, y: rect.y, columns: cells.width, rows: cells.height, mode: mode, path: artifact?.path ?? "",
                sha256: key ?? artifact?.imageSHA256 ?? preview.sha256, mime: "image/png", png: png, marks: marks)
            // An image whose encoding failed is drawn in cells below, never left blank.
            if !state.failedGraphics.contains(placement.key) {
                frame.graphics.append(placement)
                return
            }
        }
        guard theme.colors, !theme.ascii else {
            let text = key != nil
                ? ["[differences \(preview.originalWidth)x\(preview.originalHeight)]", "(drawing them needs colours)"]
                : ["[image \(preview.originalWidth)x\(preview.originalHeight)]", "sha256 \(preview.sha256.prefix(16))"]
            DetailView.lines(text, scroll: 0, rect, theme, into: &frame)
            return
        }
        PreviewView.halfBlocks(preview, rect, marks: marks, into: &frame)
    }
}
