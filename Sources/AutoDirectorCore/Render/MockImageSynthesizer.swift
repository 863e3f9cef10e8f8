/// Draws the mock provider's image from a spec (SPEC §7): the background colour, the product as
/// a shaded shape lit from the key light's direction with a rim light edge, its shadow, framing
/// from the field of view, and the palette as bands along the bottom. Its size is the spec's
/// native aspect ratio at its resolution (SPEC §18), and the seed moves the product and its
/// light among `variations` placements, as a diffusion model's seed changes its picture (seed
/// variants differ) while a batch still draws a handful of pictures per look. Pure and exact: only
/// arithmetic and `squareRoot` (IEEE-exact), no transcendental functions whose last bits could
/// vary between C libraries, so the same spec gives the same pixels everywhere.
public enum MockImageSynthesizer {
    /// Longest side of the preview at 1MP (twice this at 4MP); the aspect ratio is the spec's.
    public static let previewSide = 256
    /// How many pictures a look has, one per seed modulo this: enough that consecutive seeds
    /// (`variants --count 4`) differ, few enough that a 100k-shot batch draws a handful per
    /// look (each costs a draw and a PNG encode; 16 tripled `bench render`).
    public static let variations: UInt32 = 4

    public static func image(for spec: JSONObject, hash: String) -> PNGCodec.Image {
        let look = Look(spec: spec, hash: hash)
        let side = GenerationParameters(spec: spec).resolution == .fourMP ? 2 * previewSide : previewSide
        let (width, height) = previewSize(look.outputWidth, look.outputHeight, side: side)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        let aspect = Double(width) / Double(height)
        let bandTop = height - max(2, height / 10)
        for y in 0..<height {
            for x in 0..<width {
                let color: RGB
                if y >= bandTop, !look.palette.isEmpty {
                    color = look.palette[min(look.palette.count - 1, x * look.palette.count / width)]
                } else {
                    // Normalized coordinates: u to the right, v up, the shorter side spans [-1, 1].
                    let u = (2 * (Double(x) + 0.5) / Double(width) - 1) * max(1, aspect)
                    let v = (1 - 2 * (Double(y) + 0.5) / Double(height)) / min(1, aspect)
                    color = look.shade(u: u, v: v)
                }
                let offset = (y * width + x) * 3
                rgb[offset] = color.r.byte
                rgb[offset + 1] = color.g.byte
                rgb[offset + 2] = color.b.byte
            }
        }
        return PNGCodec.Image(width: width, height: height, rgb: rgb)
    }

    /// The picture's size: the native ratio `width`×`height` is (or the size's own ratio, for a
    /// version stored before sizes were checked) with its longest side `side`.
    static func previewSize(_ width: Int, _ height: Int, side: Int = previewSide) -> (Int, Int) {
        let ratio = AspectRatio.of(width: Double(width), height: Double(height))
        let (width, height) = ratio.map { ($0.width, $0.height) } ?? (width, height)
        let longest = max(1, max(width, height))
        let w = max(8, (width * side + longest / 2) / longest)
        let h = max(8, (height * side + longest / 2) / longest)
        return (w, h)
    }

    struct RGB {
        var r, g, b: Double

        static func hex(_ text: String?) -> RGB? {
            guard let text, let color = HexColor(text) else { return nil }
            return RGB(r: Double(color.red), g: Double(color.green), b: Double(color.blue))
        }

        func scaled(_ factor: Double) -> RGB { RGB(r: r * factor, g: g * factor, b: b * factor) }

        func mixed(with other: RGB, _ amount: Double) -> RGB {
            let t = min(1, max(0, amount))
            return RGB(r: r + (other.r - r) * t, g: g + (other.g - g) * t, b: b + (other.b - b) * t)
        }

        static let white = RGB(r: 255, g: 255, b: 255)
        static let black = RGB(r: 0, g: 0, b: 0)
    }

    /// The parameters the picture shows, read once per image.
    struct Look {
        var background: RGB
        var subject: RGB
        var palette: [RGB]
        var key: (x: Double, y: Double, z: Double, intensity: Double)
        var rim: (x: Double, y: Double, intensity: Double)
        var radius: Double
        /// The seed's placement of the product, left to right.
        var offset: Double
        var outputWidth: Int
        var outputHeight: Int

        init(spec: JSONObject, hash: String) {
            func number(_ path: String...) -> Double? {
                var node: JSONValue? = .object(spec)
                for key in path { node = node?[key] }
                return node?.numberValue
            }
            // Structured-prompt specs carry no colours: derive stable ones from the hash.
            let hashBytes = Array(hash.utf8)
            func fromHash(_ index: Int) -> RGB {
                let pick = { (i: Int) -> Double in Double(hashBytes.isEmpty ? 128 : 96 + Int(hashBytes[i % hashBytes.count]) % 128) }
                return RGB(r: pick(index), g: pick(index + 1), b: pick(index + 2))
            }
            background = RGB.hex(spec["background"]?["hex"]?.stringValue) ?? fromHash(0).mixed(with: .white, 0.6)
            palette = spec["color"]?["palette"]?.arrayValue?.compactMap { RGB.hex($0.stringValue) } ?? [fromHash(3), fromHash(6)]
            subject = palette.first ?? fromHash(9)
            key = (number("lighting", "key_light", "position", "x") ?? 2, number("lighting", "key_light", "position", "y") ?? 3,
                   number("lighting", "key_light", "position", "z") ?? 4, number("lighting", "key_light", "intensity") ?? 1)
            rim = (number("lighting", "rim_light", "position", "x") ?? 0, number("lighting", "rim_light", "position", "y") ?? 0,
                   number("lighting", "rim_light", "intensity") ?? 0)
            // A narrower field of view frames the product larger.
            let fov = number("camera", "fov") ?? 45
            radius = min(0.85, max(0.15, 0.55 * 45 / max(1, fov)))
            // The seed's placement: the product and its key light move together, left to right.
            let variation = Double(UInt32(clamping: Int(number("seed") ?? 0)) % MockImageSynthesizer.variations)
            offset = (variation - 1.5) * 0.12
            key.x += (variation - 1.5) * 1.5
            outputWidth = Int(number("output", "width") ?? 1024)
            outputHeight = Int(number("output", "height") ?? 1024)
        }

        func shade(u: Double, v: Double) -> RGB {
            let u = u - offset
            let keyLength = max(1e-9, (key.x * key.x + key.y * key.y + key.z * key.z).squareRoot())
            let (lx, ly, lz) = (key.x / keyLength, key.y / keyLength, key.z / keyLength)
            // The product: an ellipsoid, slightly above the floor.
            let du = u / (radius * 0.8)
            let dv = (v - 0.05) / radius
            let d2 = du * du + dv * dv
            if d2 <= 1 {
                let nz = (1 - d2).squareRoot()
                let diffuse = max(0, du * lx + dv * ly + nz * lz)
                var color = subject.scaled(0.35 + 0.65 * min(1.5, key.intensity) * diffuse)
                // A highlight where the key light reflects toward the camera.
                let specular = diffuse * diffuse * diffuse * diffuse * diffuse * diffuse * diffuse * diffuse
                color = color.mixed(with: .white, 0.5 * key.intensity * specular)
                if rim.intensity > 0 {
                    let rimLength = max(1e-9, (rim.x * rim.x + rim.y * rim.y).squareRoot())
                    let facing = max(0, (du * rim.x + dv * rim.y) / rimLength)
                    let edge = (1 - nz) * (1 - nz) * (1 - nz)
                    color = color.mixed(with: .white, min(1, rim.intensity) * edge * facing)
                }
                return color
            }
            // The background, brighter toward the key light, with the product's shadow opposite it.
            var color = background.scaled(0.85 + 0.15 * min(1.5, key.intensity) * (1 + (u * lx + v * ly) * 0.5))
            let su = (u + lx * radius * 0.6) / (radius * 1.1)
            let sv = (v + radius * 0.95) / (radius * 0.25)
            let s2 = su * su + sv * sv
            if s2 < 1 { color = color.mixed(with: .black, 0.35 * min(1, key.intensity) * (1 - s2)) }
            return color
        }
    }
}

private extension Double {
    /// Rounded and clamped to a colour channel.
    var byte: UInt8 { UInt8(Swift.min(255, Swift.max(0, (self).rounded()))) }
}
