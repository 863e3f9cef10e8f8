/// Sixel for an RGB image (DEC's format, as xterm, foot, WezTerm and mlterm read it): a
/// 256-colour palette — a 6×7×6 cube, dithered with a 4×4 Bayer matrix, so gradients stay
/// smooth — then bands of six pixel rows, each colour of a band as one run-length-encoded
/// line. The same pixels always give the same bytes.
public enum SixelEncoder {
    static let levels = (red: 6, green: 7, blue: 6)
    static let bayer: [Int] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]

    /// `rgb`: width × height × 3 bytes.
    public static func encode(rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        guard width > 0, height > 0, rgb.count >= width * height * 3 else { return [] }
        // Palette index of each pixel.
        var indices = [UInt8](repeating: 0, count: width * height)
        let (lr, lg, lb) = (levels.red - 1, levels.green - 1, levels.blue - 1)
        for y in 0..<height {
            for x in 0..<width {
                let pixel = (y * width + x) * 3
                // level = ⌊value × steps / 255 + t⌋ with t = (2·bayer + 1) / 32 in [0, 1): between
                // two levels, the share of pixels rounded up follows the value.
                let threshold = (bayer[(y & 3) * 4 + (x & 3)] * 2 + 1) * 255
                func quantise(_ value: UInt8, _ steps: Int) -> Int {
                    min(steps, (Int(value) * steps * 32 + threshold) / (255 * 32))
                }
                let r = quantise(rgb[pixel], lr), g = quantise(rgb[pixel + 1], lg), b = quantise(rgb[pixel + 2], lb)
                indices[y * width + x] = UInt8((r * levels.green + g) * levels.blue + b)
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(width * height / 2)
        // DCS 0;1 q: square pixels, unset pixels keep the background; then the raster size.
        out += Array("\u{1B}P0;1q\"1;1;\(width);\(height)".utf8)
        var used = [Bool](repeating: false, count: 256)
        for index in indices { used[Int(index)] = true }
        for index in 0..<(levels.red * levels.green * levels.blue) where used[index] {
            let r = index / (levels.green * levels.blue), g = (index / levels.blue) % levels.green, b = index % levels.blue
            out += Array("#\(index);2;\(r * 100 / lr);\(g * 100 / lg);\(b * 100 / lb)".utf8)
        }
        var bits = [UInt8](repeating: 0, count: width)
        var columnsOf = [[Int]](repeating: [], count: 256)
        for band in stride(from: 0, to: height, by: 6) {
            // Which colours this band uses, and at which columns.
            for i in columnsOf.indices where !columnsOf[i].isEmpty { columnsOf[i].removeAll(keepingCapacity: true) }
            var present: [Int] = []
            for x in 0..<width {
                for row in 0..<min(6, height - band) {
                    let colour = Int(indices[(band + row) * width + x])
                    // Each column is recorded once per colour (columns come in order).
                    if columnsOf[colour].last != x {
                        if columnsOf[colour].isEmpty { present.append(colour) }
                        columnsOf[colour].append(x)
                    }
                }
            }
            present.sort()
            for (n, colour) in present.enumerated() {
                for x in columnsOf[colour] {
                    var mask: UInt8 = 0
                    for row in 0..<min(6, height - band) where Int(indices[(band + row) * width + x]) == colour {
                        mask |= 1 << UInt8(row)
                    }
                    bits[x] = mask
                }
                out += Array("#\(colour)".utf8)
                // Columns without this colour are 0 (nothing drawn); runs are run-length encoded.
                let last = columnsOf[colour].last ?? 0
                var x = 0
                while x <= last {
                    let value = bits[x]
                    var run = 1
                    while x + run <= last, bits[x + run] == value { run += 1 }
                    emit(value, count: run, into: &out)
                    x += run
                }
                for column in columnsOf[colour] { bits[column] = 0 }
                if n < present.count - 1 { out.append(UInt8(ascii: "$")) }
            }
            out.append(UInt8(ascii: "-"))
        }
        out += [0x1B, UInt8(ascii: "\\")]
        return out
    }

    private static func emit(_ mask: UInt8, count: Int, into out: inout [UInt8]) {
        let character = 63 + mask
        if count >= 4 {
            out += Array("!\(count)".utf8)
            out.append(character)
        } else {
            for _ in 0..<count { out.append(character) }
        }
    }
}
