/// What a terminal answered to the start-up queries (`TerminalProbe.query`), parsed from the
/// raw bytes it sent back. Pure, so recorded answers of real terminals can be tested.
public struct TerminalAnswers: Sendable, Equatable {
    /// `ESC _Gi=31;OK ESC \`: the kitty graphics protocol is understood.
    public var kittyGraphics = false
    /// The parameters of the primary device attributes (`ESC [?62;4;…c`); 4 means sixel.
    public var deviceAttributes: [Int]?
    /// XTVERSION's name of the terminal (`ESC P>|WezTerm 20240203 ESC \`).
    public var version: String?
    /// `ESC [6;<height>;<width>t`: the size of a cell in pixels.
    public var cellPixels: CellPixels?

    public init(kittyGraphics: Bool = false, deviceAttributes: [Int]? = nil, version: String? = nil, cellPixels: CellPixels? = nil) {
        self.kittyGraphics = kittyGraphics
        self.deviceAttributes = deviceAttributes
        self.version = version
        self.cellPixels = cellPixels
    }

    /// Whether the device attributes answer arrived: every terminal sends it last, so after it
    /// nothing else is coming.
    public var isComplete: Bool { deviceAttributes != nil }

    public var sixel: Bool { deviceAttributes?.contains(4) ?? false }

    /// Parses whatever arrived (in any order, with unrelated bytes between answers).
    public static func parse(_ bytes: [UInt8]) -> TerminalAnswers {
        var answers = TerminalAnswers()
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x1B, index + 1 < bytes.count else {
                index += 1
                continue
            }
            let kind = bytes[index + 1]
            if kind == UInt8(ascii: "_") || kind == UInt8(ascii: "P") {
                // APC or DCS, up to the string terminator ESC \ (or BEL).
                guard let end = terminator(bytes, from: index + 2) else { break }
                let body = String(decoding: bytes[(index + 2)..<end.start], as: UTF8.self)
                if kind == UInt8(ascii: "_"), body.hasPrefix("G"), body.contains("i=31"), body.hasSuffix(";OK") {
                    answers.kittyGraphics = true
                }
                if kind == UInt8(ascii: "P"), body.hasPrefix(">|") {
                    answers.version = String(body.dropFirst(2).prefix(80)).filter { $0.isASCII && !$0.isNewline && $0 >= " " }
                }
                index = end.next
            } else if kind == UInt8(ascii: "[") {
                // CSI: parameters up to a final byte in 0x40…0x7E.
                var end = index + 2
                while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) { end += 1 }
                guard end < bytes.count else { break }
                let parameters = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
                switch bytes[end] {
                case UInt8(ascii: "c") where parameters.hasPrefix("?"):
                    answers.deviceAttributes = parameters.dropFirst().split(separator: ";").compactMap { Int($0) }
                case UInt8(ascii: "t"):
                    let numbers = parameters.split(separator: ";").compactMap { Int($0) }
                    // A cell of more than 64×128 pixels is no terminal's: such an answer would
                    // make sixel images of gigabytes.
                    if numbers.count == 3, numbers[0] == 6, (4...128).contains(numbers[1]), (2...64).contains(numbers[2]) {
                        answers.cellPixels = CellPixels(width: numbers[2], height: numbers[1])
                    }
                default:
                    break
                }
                index = end + 1
            } else {
                index += 1
            }
        }
        return answers
    }

    private static func terminator(_ bytes: [UInt8], from start: Int) -> (start: Int, next: Int)? {
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x07 { return (index, index + 1) }
            if bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\") { return (index, index + 2) }
            index += 1
        }
        return nil
    }
}

/// The size of one terminal cell in pixels.
public struct CellPixels: Sendable, Equatable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// What most terminals use when nothing says otherwise.
    public static let assumed = CellPixels(width: 8, height: 16)
}
