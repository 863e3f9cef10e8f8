/// Puts the frame's image on the terminal beside curses, on the UI loop's thread: after curses
/// has flushed its update, the sequence is written at the panel's cell; an image is drawn again
/// after a full repaint (resize, resume) and removed when the panel shows something else —
/// kitty's by its id, sixel's and iTerm2's by having curses repaint the lines under it (they
/// are blank in curses's buffer, so it would not otherwise touch them).
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
    /// Asks for a placement's encoding off the UI thread (it lands in the cache).
    private let request: (GraphicsPlacement) -> Void
    private var shown: GraphicsPlacement?
    private var requested: String?

    public init(cache: GraphicsCache, insideTmux: Bool, output: Output, request: @escaping (GraphicsPlacement) -> Void) {
        self.cache = cache
        self.insideTmux = insideTmux
        self.output = output
        self.request = request
    }

    /// Call after every draw. `repainted`: curses repainted the whole screen.
    public func present(_ placement: GraphicsPlacement?, repainted: Bool) {
        if placement == shown && !repainted { return }
        if let old = shown {
            remove(old, repaintedAlready: repainted)
            shown = nil
        }
        guard let placement else { return }
        guard let sequences = cache.sequences(for: placement.key) else {
            if requested != placement.key {
                requested = placement.key
                request(placement)
            }
            return
        }
        requested = nil
        var bytes = GraphicsSequences.moveCursor(x: placement.x, y: placement.y)
        for sequence in sequences { bytes += sequence }
        output.write(bytes)
        shown = placement
    }

    /// Removes whatever is shown (the session ends, or curses is suspended).
    public func clear() {
        if let old = shown { remove(old, repaintedAlready: false) }
        shown = nil
    }

    private func remove(_ placement: GraphicsPlacement, repaintedAlready: Bool) {
        switch placement.mode {
        case .kitty:
            let delete = GraphicsSequences.kittyDelete(id: placement.kittyID)
            output.write(insideTmux ? GraphicsSequences.tmuxPassthrough(delete) : delete)
        case .sixel, .iterm2:
            if !repaintedAlready { output.repaintRows(placement.y, placement.rows) }
        case .symbols, .off:
            break
        }
    }
}
