import AutoDirectorCore
import Foundation

/// `bench graphics`: the preview's encoders on one square test image (a deterministic pattern
/// of gradients, fine detail and grain), at the size of an 80×40-cell panel of 8×16-pixel cells: the
/// median of `repeats` runs of each, and the bytes it writes to the terminal.
public enum GraphicsBenchmark {
    public struct Measurement: Sendable {
        public var mode: ImageMode
        public var medianMS: Double
        public var bytes: Int
    }

    /// The test image as PNG (also what `chafa` is run on, for comparison).
    public static func testImage(size: Int) throws -> [UInt8] {
        var rgb = [UInt8](repeating: 0, count: size * size * 3)
        // Noise from a fixed LCG on top, so the PNG is as large as a photograph's (~2 bytes a pixel).
        var noise: UInt32 = 12345
        func grain() -> Double {
            noise = noise &* 1_664_525 &+ 1_013_904_223
            return Double(noise >> 24) / 8 - 16
        }
        for y in 0..<size {
            for x in 0..<size {
                let i = (y * size + x) * 3
                let fx = Double(x) / Double(size), fy = Double(y) / Double(size)
                rgb[i] = UInt8(max(0, min(255, 120 + 100 * sin(fx * 12) + grain())))
                rgb[i + 1] = UInt8(max(0, min(255, 120 + 100 * cos(fy * 9) + grain())))
                rgb[i + 2] = UInt8(max(0, min(255, Double((x ^ y) & 0xFF) * 0.8 + 16 + grain())))
            }
        }
        return try PNGCodec.encode(PNGCodec.Image(width: size, height: size, rgb: rgb))
    }

    public static func run(size: Int, columns: Int = 80, rows: Int = 40, repeats: Int = 15) throws -> (pngBytes: Int, results: [Measurement]) {
        let png = try testImage(size: size)
        let cell = CellPixels.assumed
        var results: [Measurement] = []
        for mode in [ImageMode.kitty, .iterm2, .sixel, .symbols] {
            // 80×40 cells of 8×16 pixels hold the square image at 640×640 pixels (symbols: 80×80).
            let placement = GraphicsPlacement(x: 0, y: 0, columns: columns, rows: rows, mode: mode, path: "", sha256: "bench", mime: "image/png")
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                let sequences = try GraphicsEncoding.sequences(for: placement, file: png, cell: cell, insideTmux: false)
                times.append((ContinuousClock.now - start).seconds * 1000)
                bytes = sequences.reduce(0) { $0 + $1.count }
            }
            times.sort()
            results.append(Measurement(mode: mode, medianMS: times[times.count / 2], bytes: bytes))
        }
        return (png.count, results)
    }
}
