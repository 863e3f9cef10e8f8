import AutoDirectorCore
import AutoDirectorTUI
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

    /// The `chafa` command (when installed) on the same test image and panel, median
    /// milliseconds of 5 runs per output format (`kitty`, `iterm`, `sixels`, `symbols`), and
    /// `start`: chafa drawing a 16×16 image, what starting the command costs beyond the library's
    /// work. Nil without chafa.
    public static func chafaMedians(size: Int) throws -> [(format: String, medianMS: Double)]? {
        guard let chafa = ["/usr/bin/chafa", "/usr/local/bin/chafa"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-bench-\(UUID().uuidString).png")
        try Data(try testImage(size: size)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let tiny = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-bench-\(UUID().uuidString).png")
        try Data(try testImage(size: 16)).write(to: tiny)
        defer { try? FileManager.default.removeItem(at: tiny) }
        var medians: [(format: String, medianMS: Double)] = []
        for (format, image) in [("start", tiny), ("kitty", file), ("iterm", file), ("sixels", file), ("symbols", file)] {
            var times: [Double] = []
            for _ in 0..<5 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: chafa)
                process.arguments = ["-f", format == "start" ? "symbols" : format, "--size", "80x40", "--animate", "off", image.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                let start = ContinuousClock.now
                try process.run()
                process.waitUntilExit()
                times.append((ContinuousClock.now - start).seconds * 1000)
            }
            times.sort()
            medians.append((format, times[times.count / 2]))
        }
        return medians
    }
}
