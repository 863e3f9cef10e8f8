/// A `#rrggbb` colour, the one way every part of the product reads one (the validator, the prompt
/// compiler, the mock): `#` and exactly six ASCII hex digits, either case; nothing else (no sign,
/// no spaces, no short form).
public struct HexColor: Sendable, Equatable {
    public let red: UInt8
    public let green: UInt8
    public let blue: UInt8

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return nil }
        var channels: [UInt8] = []
        for index in stride(from: 1, to: 7, by: 2) {
            guard let high = Self.digit(bytes[index]), let low = Self.digit(bytes[index + 1]) else { return nil }
            channels.append(high << 4 | low)
        }
        (red, green, blue) = (channels[0], channels[1], channels[2])
    }

    /// Upper-case `#RRGGBB`.
    public var hex: String {
        let digits = Array("0123456789ABCDEF")
        return "#" + String([red, green, blue].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
