import AutoDirectorCore

/// A pin being placed on the preview by keyboard (SPEC §17): a crosshair in image coordinates
/// (0…1), moved a twentieth of the picture a key, a hundredth with Shift; `b` drops a corner, and
/// the pin is then the rectangle from that corner to the crosshair.
public struct PinPlacement: Sendable, Equatable {
    /// What the pin is for: the note that follows it.
    public enum Purpose: Sendable, Equatable {
        case note(shotID: String)
        case retake(shotID: String)

        public var shotID: String {
            switch self {
            case .note(let id), .retake(let id): return id
            }
        }
    }

    public var purpose: Purpose
    public var x = 0.5
    public var y = 0.5
    /// The first corner of a rectangle, once `b` dropped it.
    public var corner: (x: Double, y: Double)?

    public init(purpose: Purpose) { self.purpose = purpose }

    public static let step = 0.05
    public static let fineStep = 0.01

    public mutating func move(dx: Double, dy: Double) {
        x = Self.clamp(x + dx)
        y = Self.clamp(y + dy)
    }

    /// The pin as placed: a point, or the rectangle between the corner and the crosshair (a
    /// rectangle with no width or height is the point it collapsed to).
    public var pin: NotePin {
        guard let corner else { return (try? NotePin.make(x: x, y: y)) ?? .point(x: 0.5, y: 0.5) }
        let (left, top) = (min(corner.x, x), min(corner.y, y))
        let (width, height) = (abs(corner.x - x), abs(corner.y - y))
        guard width > 0, height > 0 else { return (try? NotePin.make(x: x, y: y)) ?? .point(x: 0.5, y: 0.5) }
        return (try? NotePin.make(x: left, y: top, width: width, height: height)) ?? .point(x: x, y: y)
    }

    /// What the pin would look like, with the crosshair, for the preview while it is placed.
    var marks: [PinPainter.Mark] {
        var marks = [PinPainter.Mark(number: 0, pin: pin, focused: true)]
        // The crosshair at the moving end, over the rectangle being drawn.
        if corner != nil, let point = try? NotePin.make(x: x, y: y) { marks.append(PinPainter.Mark(number: 0, pin: point, focused: true, crosshair: true)) }
        if corner == nil { marks[0].crosshair = true }
        return marks
    }

    private static func clamp(_ value: Double) -> Double { (min(1, max(0, value)) * 100).rounded() / 100 }

    public static func == (a: PinPlacement, b: PinPlacement) -> Bool {
        a.purpose == b.purpose && a.x == b.x && a.y == b.y && a.corner?.x == b.corner?.x && a.corner?.y == b.corner?.y
    }
}
