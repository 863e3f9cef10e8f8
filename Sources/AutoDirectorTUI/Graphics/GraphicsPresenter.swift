/// Puts the frame's images on the terminal beside curses, on the UI loop's thread: after curses
/// has flushed its update, each sequence is written at its panel's cell; images are drawn again
/// after a full repaint (resize, resume) and removed when their panel shows something else —
/// kitty's by id, sixel's and iTerm2's by having curses repaint the rows under them (they are
/// blank in curses's buffer, so it would not otherwise touch them).
public final class GraphicsPresenter {
    public struct Output {
        /// Writes bytes to the terminal after curses's own output.
        public var write: ([UInt8]) -> Void
        /// Makes curses repaint rows `y ..< y + count` completely, now.
        public var repaintRows: (_ y: Int, _ count: Int) -> Void

        public init(write: @escaping ([UInt8]) -> Void, repaintRows: @escaping (Int, Int) -> Void) {
            self.write = write
            self.repaintRows = repaintRows
        }
    }

    private let cache: GraphicsCache
    private let output: Output
    private let insideTmux: Bool
    /// Asks for encodings off the UI thread (they land in the cache).
    private let request: ([GraphicsPlacement]) -> Void
    private var shown: [GraphicsPlacement] = []
    private var requested: [String] = []

    public init(cache: GraphicsCache, insideTmux: Bool, output: Output, request: @escaping ([GraphicsPlacement]) -> Void) {
        self.cache = cache
        self.insideTmux = insideTmux
        self.output = output
        self.request = request
    }

    /// Call after every draw. `repainted`: curses repainted the whole screen.
    public func present(_ placements: [GraphicsPlacement], repainted: Bool) {
        if placements == shown && !repainted { return }
        // What goes (or was wiped by the repaint) is removed first, then what is new is drawn.
        let keep = repainted ? [] : shown.filter { placements.contains($0) }
        for old in shown where !keep.contains(old) { remove(old, repaintedAlready: repainted) }
        shown = keep
        let missing = placements.filter { cache.sequences(for: $0.key) == nil }
        if !missing.isEmpty, missing.map(\.key) != requested {
            requested = missing.map(\.key)
            request(missing)
        }
        for placement in placements where !shown.contains(placement) {
            guard let sequences = cache.sequences(for: placement.key) else { continue }
            var bytes = GraphicsSequences.moveCursor(x: placement.x, y: placement.y)
            for sequence in sequences { bytes += sequence }
            output.write(bytes)
            shown.append(placement)
        }
        if missing.isEmpty { requested = [] }
    }

    /// Removes whatever is shown (the session ends, or curses is suspended).
    public func clear() {
        for old in shown { remove(old, repaintedAlready: false) }
        shown = []
    }

    private func remove(_ placement: GraphicsPlacement, repaintedAlready: Bool) {
        switch placement.mode {
        case .kitty:
            let delete = GraphicsSequences.kittyDelete(id: placement.kittyID)
            output.write(insideTmux ? GraphicsSequences.tmuxPassthrough(delete) : delete)
        case .sixel, .iterm2, .symbols:
            if !repaintedAlready { output.repaintRows(placement.y, placement.rows) }
        case .off:
            break
        }
    }
}
