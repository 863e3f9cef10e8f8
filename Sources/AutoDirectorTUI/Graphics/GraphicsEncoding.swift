import AutoDirectorCore

/// Turns a rendered image into the bytes of its graphics sequence for a placement: kitty and
/// iTerm2 get the file itself (the terminal scales it to the cells), sixel gets the pixels
/// scaled to the cells' size here. Inside tmux each sequence is wrapped for passthrough.
public enum GraphicsEncoding {
    public static func sequences(for placement: GraphicsPlacement, file: [UInt8], cell: CellPixels, insideTmux: Bool) throws -> [[UInt8]] {
        var sequences: [[UInt8]]
        switch placement.mode {
        case .kitty:
            sequences = GraphicsSequences.kitty(png: file, id: placement.kittyID, columns: placement.columns, rows: placement.rows)
        case .iterm2:
            sequences = [GraphicsSequences.iterm2(file: file, columns: placement.columns, rows: placement.rows)]
        case .sixel:
            let image = try PNGCodec.decode(file)
            var (width, height) = (placement.columns * cell.width, placement.rows * cell.height)
            // At most 4 megapixels (a 4K panel): the terminal scales nothing for sixel, and
            // what is sent is bounded.
            let excess = Double(width * height) / 4_000_000
            if excess > 1 {
                (width, height) = (max(1, Int(Double(width) / excess.squareRoot())), max(1, Int(Double(height) / excess.squareRoot())))
            }
            let pixels = ImageScaler.scale(image.rgb, width: image.width, height: image.height, toWidth: width, toHeight: height)
            sequences = [SixelEncoder.encode(rgb: pixels, width: width, height: height)]
        case .symbols:
            // Plain colour sequences: tmux draws them itself, no passthrough.
            let image = try PNGCodec.decode(file)
            let pixels = ImageScaler.scale(image.rgb, width: image.width, height: image.height, toWidth: placement.columns, toHeight: placement.rows * 2)
            return [GraphicsSequences.truecolorHalfBlocks(rgb: pixels, columns: placement.columns, rows: placement.rows, x: placement.x, y: placement.y)]
        case .off:
            return []
        }
        return insideTmux ? sequences.map(GraphicsSequences.tmuxPassthrough) : sequences
    }
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
