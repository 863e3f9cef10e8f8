import Crypto
import Foundation

/// SHA-256 over data that arrives in pieces (a file read in chunks).
public struct StreamingSHA256 {
    private var hasher = SHA256()

    public init() {}

    public mutating func update(_ data: Data) { hasher.update(data: data) }

    public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

    public func finalizeHex() -> String {
        SHA256Hex.hex(hasher.finalize())
    }
}
