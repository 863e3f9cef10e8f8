/// Draws note pins into a picture's pixels (SPEC §17): wherever the picture goes — a terminal's
/// graphics, coloured cells, the contact sheet — the pins go with it. A point is a dot in a ring,
/// a rectangle its outline; each carries its thread's number on a label. Open notes are amber,
/// resolved ones grey, the one in focus cyan; every mark has a dark edge, so it shows on any
/// picture. Sizes follow the picture's (integer arithmetic: the same pixels everywhere), with a
/// floor that keeps a number legible at one glyph pixel per pixel.
public enum PinPainter {
    public struct Mark: Sendable, Equatable, Hashable {
        public var number: Int
        public var pin: NotePin
        public var open: Bool
        public var focused: Bool
        /// Lines across the whole picture through the pin's corner: a pin being placed.
        public var crosshair: Bool

        /// `number` 0 draws no label.
        public init(number: Int, pin: NotePin, open: Bool = true, focused: Bool = false, crosshair: Bool = false) {
            self.number = number
            self.pin = pin
            self.open = open
            self.focused = focused
            self.crosshair = crosshair
        }

        /// What changes the pixels, for a cache key.
        public var signature: String {
            "\(number)@\(pin.text)\(open ? "o" : "r")\(focused ? "f" : "")\(crosshair ? "+" : "")"
        }
    }

    typealias Colour = (UInt8, UInt8, UInt8)
    static let amber: Colour = (255, 196, 0)
    static let grey: Colour = (170, 170, 170)
    static let cyan: Colour = (0, 220, 255)
    static let edge: Colour = (20, 20, 20)

    /// Paints `marks` onto `rgb` (`width` × `height`, 3 bytes a pixel), in order.
    public static func paint(_ marks: [Mark], on rgb: inout [UInt8], width: Int, height: Int) {
        guard width > 0, height > 0, rgb.count >= width * height * 3 else { return }
        var canvas = Canvas(rgb: rgb, width: width, height: height)
        rgb = []
        let unit = max(1, min(width, height) / 120)
        // A picture a few dozen pixels across (cells in a small panel) has no room for dark
        // edges: the marks are drawn in their colour alone.
        let edged = min(width, height) >= 60
        for mark in marks {
            let colour = mark.focused ? cyan : mark.open ? amber : grey
            let x = Int((mark.pin.x * Double(width - 1)).rounded())
            let y = Int((mark.pin.y * Double(height - 1)).rounded())
            if mark.crosshair {
                if edged {
                    canvas.fill(0, y - unit, width - 1, y + unit, edge)
                    canvas.fill(x - unit, 0, x + unit, height - 1, edge)
                }
                canvas.fill(0, y, width - 1, y + unit - 1, colour)
                canvas.fill(x, 0, x + unit - 1, height - 1, colour)
            }
            let labelAt: (x: Int, y: Int)
            switch mark.pin {
            case .point:
                let radius = max(1, min(width, height) / 40)
                if edged { canvas.disc(x, y, radius: radius + unit, edge) }
                canvas.disc(x, y, radius: radius, colour)
                if edged { canvas.disc(x, y, radius: max(1, radius / 3), edge) }
                labelAt = (x + radius + 2 * unit, y - radius - 2 * unit)
            case .box(_, _, let w, let h):
                let right = Int(((mark.pin.x + w) * Double(width - 1)).rounded())
                let bottom = Int(((mark.pin.y + h) * Double(height - 1)).rounded())
                if edged { canvas.frame(x - unit, y - unit, right + unit, bottom + unit, thickness: unit * 3, edge) }
                canvas.frame(x, y, right, bottom, thickness: unit, colour)
                labelAt = (x, y - 7 * unit - 1)
            }
            if mark.number > 0 { canvas.label(String(mark.number), x: labelAt.x, y: labelAt.y, scale: unit, colour) }
        }
        rgb = canvas.rgb
    }

    /// The pixels being painted; everything outside the picture is clipped.
    struct Canvas {
        var rgb: [UInt8]
        let width: Int
        let height: Int

        mutating func set(_ x: Int, _ y: Int, _ colour: Colour) {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * 3
            (rgb[i], rgb[i + 1], rgb[i + 2]) = colour
        }

        mutating func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ colour: Colour) {
            let (left, right) = (max(0, min(x0, x1)), min(width - 1, max(x0, x1)))
            let (top, bottom) = (max(0, min(y0, y1)), min(height - 1, max(y0, y1)))
            guard left <= right, top <= bottom else { return }
            for y in top...bottom { for x in left...right { set(x, y, colour) } }
        }

        mutating func disc(_ cx: Int, _ cy: Int, radius: Int, _ colour: Colour) {
            guard radius > 0 else { return set(cx, cy, colour) }
            for dy in -radius...radius {
                for dx in -radius...radius where dx * dx + dy * dy <= radius * radius { set(cx + dx, cy + dy, colour) }
            }
        }

        /// A rectangle's outline, `thickness` wide, inside its bounds.
        mutating func frame(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, thickness: Int, _ colour: Colour) {
            let t = max(1, thickness) - 1
            fill(x0, y0, x1, y0 + t, colour)
            fill(x0, y1 - t, x1, y1, colour)
            fill(x0, y0, x0 + t, y1, colour)
            fill(x1 - t, y0, x1, y1, colour)
        }

        /// `text` (digits) in a filled box of `colour`, dark digits, the box kept inside the
        /// picture so a pin at an edge still shows its number.
        mutating func label(_ text: String, x: Int, y: Int, scale: Int, _ colour: Colour) {
            let glyphs = text.compactMap { Digits.glyphs[$0] }
            let boxWidth = (glyphs.count * 4 + 1) * scale
            let boxHeight = 7 * scale
            let left = min(max(0, x), max(0, width - boxWidth))
            let top = min(max(0, y), max(0, height - boxHeight))
            fill(left - 1, top - 1, left + boxWidth, top + boxHeight, edge)
            fill(left, top, left + boxWidth - 1, top + boxHeight - 1, colour)
            for (index, glyph) in glyphs.enumerated() {
                for (row, bits) in glyph.enumerated() {
                    for column in 0..<3 where bits & (0b100 >> column) != 0 {
                        let px = left + (1 + index * 4 + column) * scale
                        let py = top + (1 + row) * scale
                        fill(px, py, px + scale - 1, py + scale - 1, edge)
                    }
                }
            }
        }
    }

    /// Digits three pixels wide and five high, one row a number's three low bits.
    enum Digits {
        static let glyphs: [Character: [UInt8]] = [
            "0": [0b111, 0b101, 0b101, 0b101, 0b111], "1": [0b010, 0b110, 0b010, 0b010, 0b111],
            "2": [0b111, 0b001, 0b111, 0b100, 0b111], "3": [0b111, 0b001, 0b111, 0b001, 0b111],
            "4": [0b101, 0b101, 0b111, 0b001, 0b001], "5": [0b111, 0b100, 0b111, 0b001, 0b111],
            "6": [0b111, 0b100, 0b111, 0b101, 0b111], "7": [0b111, 0b001, 0b010, 0b010, 0b010],
            "8": [0b111, 0b101, 0b111, 0b101, 0b111], "9": [0b111, 0b101, 0b111, 0b001, 0b111],
        ]
    }
}

extension VersionNotes {
    /// The pins of this version's threads, as `PinPainter` draws them; `focused` is a thread's
    /// number.
    public func pinMarks(focused: Int? = nil) -> [PinPainter.Mark] {
        threads.compactMap { thread in
            guard let pin = thread.note.pin, thread.note.state != .withdrawn else { return nil }
            return PinPainter.Mark(number: thread.number, pin: pin, open: thread.note.isOpen, focused: thread.number == focused)
        }
    }
}
