import Crypto

/// Lowercase hex SHA-256, the one hash function of the product (SPEC §2).
public enum SHA256Hex {
    public static func digest(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The first four digest bytes as a big-endian unsigned integer: how seeds are derived.
    public static func leadingUInt32(_ bytes: [UInt8]) -> UInt32 {
        var result: UInt32 = 0
        for (index, byte) in SHA256.hash(data: bytes).enumerated() where index < 4 {
            result = result << 8 | UInt32(byte)
        }
        return result
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: SHA256.Digest) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
