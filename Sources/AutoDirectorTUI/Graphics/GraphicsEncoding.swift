import AutoDirectorCore

/// Turns a rendered image into the bytes of its graphics sequence for a placement: kitty and
/// iTerm2 get the file itself (the terminal scales it to the cells), sixel gets the pixels
/// scaled to the cells' size here. Inside tmux each sequence is wrapped for passthrough, and
/// kept under tmux's limit for one sequence (see `tmuxSequenceLimit`).
public enum GraphicsEncoding {
    /// tmux discards an escape sequence longer than 1 MiB (`INPUT_BUF_LIMIT` in its input.c),
    /// passthrough included, and the picture would silently not appear: inside tmux an iTerm2
    /// or sixel sequence is kept below this, the image made smaller until it fits. kitty's
    /// chunks are sequences of 4 KiB each.
    public static let tmuxSequenceLimit = 900_000

    /// With pins (`placement.marks`), the pixels sent carry them: painted at the resolution the
    /// terminal receives (the file's own for kitty and iTerm2, re-encoded as PNG; the scaled
    /// pixels for sixel and symbols), so they stay sharp in every mode.
    public static func sequences(for placement: GraphicsPlacement, file: [UInt8], cell: CellPixels, insideTmux: Bool) throws -> [[UInt8]] {
        var file = file
        let marks = placement.marks
        if !marks.isEmpty, placement.mode == .kitty || placement.mode == .iterm2 {
            var image = try PNGCodec.decode(file)
            PinPainter.paint(marks, on: &image.rgb, width: image.width, height: image.height)
            file = try PNGCodec.encode(image)
        }
        var sequences: [[UInt8]]
        switch placement.mode {
        case .kitty:
            sequences = GraphicsSequences.kitty(png: file, id: placement.kittyID, columns: placement.columns, rows: placement.rows)
        case .iterm2:
            var sequence = GraphicsSequences.iterm2(file: file, columns: placement.columns, rows: placement.rows)
            if insideTmux && sequence.count > tmuxSequenceLimit {
                sequence = try smallerITerm2(file, placement, cell: cell)
            }
            sequences = [sequence]
        case .sixel:
            let image = try PNGCodec.decode(file)
            var (width, height) = (placement.columns * cell.width, placement.rows * cell.height)
            // At most 4 megapixels (a 4K panel): the terminal scales nothing for sixel, and
            // what is sent is bounded.
            let excess = Double(width * height) / 4_000_000
            if excess > 1 {
                (width, height) = (max(1, Int(Double(width) / excess.squareRoot())), max(1, Int(Double(height) / excess.squareRoot())))
            }
            var sequence = sixel(image, width: width, height: height, marks: marks)
            var tries = 0
            while insideTmux && sequence.count > tmuxSequenceLimit && tries < 8 {
                let factor = shrinkFactor(sequence.count)
                (width, height) = (max(1, Int(Double(width) * factor)), max(1, Int(Double(height) * factor)))
                sequence = sixel(image, width: width, height: height, marks: marks)
                tries += 1
            }
            // Sent anyway, tmux would drop it without a word; failing shows half blocks instead.
            if insideTmux && sequence.count > tmuxSequenceLimit { throw TooLargeForTmux(bytes: sequence.count) }
            sequences = [sequence]
        case .symbols:
            // Plain colour sequences: tmux draws them itself, no passthrough.
            let image = try PNGCodec.decode(file)
            var pixels = ImageScaler.scale(image.rgb, width: image.width, height: image.height, toWidth: placement.columns, toHeight: placement.rows * 2)
            if !marks.isEmpty { PinPainter.paint(marks, on: &pixels, width: placement.columns, height: placement.rows * 2) }
            return [GraphicsSequences.truecolorHalfBlocks(rgb: pixels, columns: placement.columns, rows: placement.rows, x: placement.x, y: placement.y)]
        case .off:
            return []
        }
        return insideTmux ? sequences.map(GraphicsSequences.tmuxPassthrough) : sequences
    }

    /// How much to shrink each side of a picture whose sequence is `bytes` long to bring it under
    /// `tmuxSequenceLimit`: the share it is over (a sequence grows about with the pixels), a
    /// little more, so a handful of tries reach any size.
    private static func shrinkFactor(_ bytes: Int) -> Double {
        (Double(tmuxSequenceLimit) / Double(bytes)).squareRoot() * 0.95
    }

    private static func sixel(_ image: PNGCodec.Image, width: Int, height: Int, marks: [PinPainter.Mark]) -> [UInt8] {
        var pixels = ImageScaler.scale(image.rgb, width: image.width, height: image.height, toWidth: width, toHeight: height)
        if !marks.isEmpty { PinPainter.paint(marks, on: &pixels, width: width, height: height) }
        return SixelEncoder.encode(rgb: pixels, width: width, height: height)
    }

    /// The iTerm2 sequence of the image scaled to the panel's pixels (the terminal shows no more
    /// of it), then shrunk while still over the limit, one factor for both sides so the picture
    /// keeps its shape.
    private static func smallerITerm2(_ file: [UInt8], _ placement: GraphicsPlacement, cell: CellPixels) throws -> [UInt8] {
        let image = try PNGCodec.decode(file)
        let box = (width: Double(placement.columns * cell.width), height: Double(placement.rows * cell.height))
        var scale = min(1, box.width / Double(max(1, image.width)), box.height / Double(max(1, image.height)))
        for _ in 0..<8 {
            let (width, height) = (max(1, Int(Double(image.width) * scale)), max(1, Int(Double(image.height) * scale)))
            let pixels = ImageScaler.scale(image.rgb, width: image.width, height: image.height, toWidth: width, toHeight: height)
            let png = try PNGCodec.encode(PNGCodec.Image(width: width, height: height, rgb: pixels))
            let sequence = GraphicsSequences.iterm2(file: png, columns: placement.columns, rows: placement.rows)
            if sequence.count <= tmuxSequenceLimit { return sequence }
            scale *= shrinkFactor(sequence.count)
        }
        throw TooLargeForTmux(bytes: file.count)
    }
}

/// A picture that could not be made small enough for tmux to pass it on.
struct TooLargeForTmux: Error, CustomStringConvertible {
    let bytes: Int
    var description: String { "the picture stays over tmux's 1 MiB limit for one sequence (\(bytes) bytes)" }
}

/// RGB scaling: the mean of each target pixel's source area when shrinking (no aliasing in
/// fine detail), the nearest source pixel when growing.
public enum ImageScaler {
    public static func scale(_ rgb: [UInt8], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [UInt8] {
        guard width > 0, height > 0, toWidth > 0, toHeight > 0, rgb.count >= width * height * 3 else {
            return [UInt8](repeating: 0, count: max(0, toWidth * toHeight * 3))
        }
        var out = [UInt8](repeating: 0, count: toWidth * toHeight * 3)
        for y in 0..<toHeight {
            let y0 = y * height / toHeight
            let y1 = max(y0 + 1, (y + 1) * height / toHeight)
            for x in 0..<toWidth {
                let x0 = x * width / toWidth
                let x1 = max(x0 + 1, (x + 1) * width / toWidth)
                var (r, g, b) = (0, 0, 0)
                for sy in y0..<min(y1, height) {
                    var i = (sy * width + x0) * 3
                    for _ in x0..<min(x1, width) {
                        r += Int(rgb[i])
                        g += Int(rgb[i + 1])
                        b += Int(rgb[i + 2])
                        i += 3
                    }
                }
                let count = max(1, (min(y1, height) - y0) * (min(x1, width) - x0))
                let o = (y * toWidth + x) * 3
                out[o] = UInt8(r / count)
                out[o + 1] = UInt8(g / count)
                out[o + 2] = UInt8(b / count)
            }
        }
        return out
    }
}
