/// Strings compared the way JSON compares them: by their Unicode scalars (RFC 8259 §8.3).
///
/// Swift's `String ==` and `String.hash(into:)` follow canonical equivalence, so `"é"` (U+00E9)
/// and `"e\u{301}"` are one string to Swift but two distinct keys and values to JSON, to
/// RFC 8785 and to SHA-256. Every comparison of JSON text — keys, values, pointers, CSV header
/// names, dictionary and set keys built from data — goes through here, so two spellings that hash
/// differently never compare, patch or diff as the same.
public enum ScalarText {
    /// Whether `a` and `b` hold the same scalars. Strings are UTF-8 inside, so this is a byte
    /// comparison (one length check, then the bytes).
    @inlinable
    public static func equal(_ a: String, _ b: String) -> Bool {
        let left = a.utf8, right = b.utf8
        guard left.count == right.count else { return false }
        let contiguous = left.withContiguousStorageIfAvailable { l in
            right.withContiguousStorageIfAvailable { r in l.elementsEqual(r) }
        }
        if let result = contiguous ?? nil { return result }
        return left.elementsEqual(right)
    }

    /// Feeds `text`'s scalars (its UTF-8 bytes) and their count to `hasher`, agreeing with `equal`.
    @inlinable
    public static func hash(_ text: String, into hasher: inout Hasher) {
        let bytes = text.utf8
        hasher.combine(bytes.count)
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            hasher.combine(bytes: UnsafeRawBufferPointer(buffer))
        }
        if done == nil {
            for byte in bytes { hasher.combine(byte) }
        }
    }
}

/// A string used as a dictionary or set key where its data decides identity (a CSV header, a
/// JSON key): equal and hashed by scalars, unlike `String` itself.
public struct ScalarKey: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: ScalarKey, rhs: ScalarKey) -> Bool { ScalarText.equal(lhs.text, rhs.text) }
    public func hash(into hasher: inout Hasher) { ScalarText.hash(text, into: &hasher) }
    public var description: String { text }
}

extension Sequence where Element == String {
    /// Whether the sequence holds `text`, compared by scalars.
    public func containsScalars(_ text: String) -> Bool {
        contains { ScalarText.equal($0, text) }
    }
}
