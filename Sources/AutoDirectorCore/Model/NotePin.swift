import Foundation

/// Where a note points on the picture (SPEC §17): a point, or a rectangle from its top-left
/// corner, in image coordinates (0…1 across and down, whatever the picture's size), kept to four
/// decimals so every store and export holds the same value.
public enum NotePin: Sendable, Equatable, Hashable {
    case point(x: Double, y: Double)
    case box(x: Double, y: Double, width: Double, height: Double)

    /// Builds a pin from its stored or given values, checked: a point's coordinates within 0…1,
    /// a rectangle's width and height above 0 and inside the picture.
    public static func make(x: Double, y: Double, width: Double? = nil, height: Double? = nil) throws -> NotePin {
        let (x, y) = (rounded(x), rounded(y))
        guard (0...1).contains(x), (0...1).contains(y) else {
            throw NotePinError("A pin's position is X,Y within 0…1 (0,0 is the picture's top left, 1,1 its bottom right).")
        }
        switch (width.map(rounded), height.map(rounded)) {
        case (nil, nil):
            return .point(x: x, y: y)
        case (let width?, let height?):
            guard width > 0, height > 0, x + width <= 1.0001, y + height <= 1.0001 else {
                throw NotePinError("A pinned rectangle is X,Y,W,H with W and H above 0 and X+W, Y+H at most 1 (inside the picture).")
            }
            return .box(x: x, y: y, width: width, height: height)
        default:
            throw NotePinError("A pinned rectangle needs both its width and its height.")
        }
    }

    /// Parses `X,Y` (a point) or `X,Y,W,H` (a rectangle).
    public static func parse(_ text: String) throws -> NotePin {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let numbers = parts.compactMap { Double($0) }.filter(\.isFinite)
        guard numbers.count == parts.count, parts.count == 2 || parts.count == 4 else {
            throw NotePinError("\(TextSanitizer.quoted(String(text.prefix(60)))) is not a pin: give X,Y for a point or X,Y,W,H for a rectangle, each 0…1.")
        }
        return try make(x: numbers[0], y: numbers[1], width: numbers.count == 4 ? numbers[2] : nil, height: numbers.count == 4 ? numbers[3] : nil)
    }

    public var x: Double {
        switch self {
        case .point(let x, _), .box(let x, _, _, _): return x
        }
    }

    public var y: Double {
        switch self {
        case .point(_, let y), .box(_, let y, _, _): return y
        }
    }

    /// A rectangle's size; nil for a point.
    public var size: (width: Double, height: Double)? {
        if case .box(_, _, let width, let height) = self { return (width, height) }
        return nil
    }

    /// `0.42,0.61` or `0.1,0.2,0.3,0.4`: what `parse` reads.
    public var text: String {
        switch self {
        case .point(let x, let y): return "\(Self.format(x)),\(Self.format(y))"
        case .box(let x, let y, let width, let height): return [x, y, width, height].map(Self.format).joined(separator: ",")
        }
    }

    private static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

    /// Shortest decimal form ("0.5", "1", "0.4213").
    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// A pin that cannot be placed; the message says what a pin is.
public struct NotePinError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
