/// The JCS order of object keys: lexicographic over UTF-16 code units (RFC 8785 §3.2.3). Swift's
/// `String <` compares canonically-equivalent scalars and would be wrong; plain scalar (UTF-8)
/// order differs from UTF-16 order once astral characters meet U+E000–U+FFFF.
enum JSONKeyOrder {
    /// True when `a` sorts strictly before `b`.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { left in b.withUTF8 { right in precedes(left, right) } }
    }

    /// Compares UTF-8 bytes, which agree with UTF-16 order except at the first differing scalar,
    /// where both scalars are decoded and compared by their first UTF-16 code unit.
    static func precedes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let shared = min(left.count, right.count)
        var position = 0
        while position < shared, left[position] == right[position] { position += 1 }
        if position == shared { return left.count < right.count }
        if left[position] < 0x80 || right[position] < 0x80 {
            return left[position] < right[position]
        }
        // Identical prefixes mean both strings have a scalar boundary at the same place.
        var start = position
        while start > 0, left[start] & 0xC0 == 0x80 { start -= 1 }
        let leftScalar = decodeScalar(left, at: start)
        let rightScalar = decodeScalar(right, at: start)
        let leftAstral = leftScalar >= 0x10000
        let rightAstral = rightScalar >= 0x10000
        if leftAstral == rightAstral { return leftScalar < rightScalar }
        // An astral scalar starts with a high surrogate (0xD800–0xDBFF), which no BMP scalar equals.
        let leftUnit = leftAstral ? 0xD800 : leftScalar
        let rightUnit = rightAstral ? 0xD800 : rightScalar
        return leftUnit < rightUnit
    }

    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt32 {
        let lead = UInt32(bytes[start])
        func continuation(_ offset: Int) -> UInt32 {
            start + offset < bytes.count ? UInt32(bytes[start + offset] & 0x3F) : 0
        }
        switch lead {
        case 0..<0x80: return lead
        case 0xC0..<0xE0: return (lead & 0x1F) << 6 | continuation(1)
        case 0xE0..<0xF0: return (lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2)
        default: return (lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3)
        }
    }

    /// A member's position plus the first 8 UTF-8 bytes of its key packed big-endian (zero
    /// padded). Two such prefixes compare like the keys whenever they differ, unless a prefix
    /// holds a byte from 0xEE up (the lead bytes where UTF-8 and UTF-16 order disagree); only
    /// then, or on equal prefixes, are the full keys compared.
    struct Entry {
        var index: Int
        var prefix: UInt64
        var prefixIsOrdered: Bool
        /// For keys of at most 16 bytes that need no escaping (nearly all keys), the raw UTF-8
        /// bytes, so the writer can emit the key with two stores instead of going back to the
        /// `String`.
        var isShortPlainKey: Bool
        var length: Int
        var low: UInt64
        var high: UInt64

        init(index: Int, key: String) {
            self.index = index
            var key = key
            (low, high, length) = key.withUTF8 { utf8 in
                guard let base = utf8.baseAddress else { return (Self.filler, Self.filler, 0) }
                let raw = UnsafeRawPointer(base)
                let count = utf8.count
                let low = count >= 8 ? raw.loadUnaligned(as: UInt64.self) : Self.word(base, count: count)
                let high =
                    count >= 16
                    ? raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    : count > 8 ? Self.word(base + 8, count: count - 8) : Self.filler
                return (UInt64(littleEndian: low), UInt64(littleEndian: high), count)
            }
            let firstBytes = length >= 8 ? low : low & ((1 &<< (8 * UInt64(length))) &- 1)
            prefix = firstBytes.byteSwapped
            prefixIsOrdered = Self.hasNoByteFromEE(firstBytes)
            isShortPlainKey =
                length <= 16 && !JSONTextEncoding.wordNeedsEscape(low)
                && (length <= 8 || !JSONTextEncoding.wordNeedsEscape(high))
        }

        /// "AAAAAAAA": padding that needs no escaping.
        private static let filler: UInt64 = 0x4141_4141_4141_4141

        /// Fewer than eight bytes as a little-endian word, padded with `filler` bytes.
        private static func word(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
            var word = count == 0 ? filler : filler &<< (8 * UInt64(count))
            for position in 0..<count {
                word |= UInt64(bytes[position]) &<< (8 * UInt64(position))
            }
            return word
        }

        /// True when every byte of `word` is below 0xEE (all-ASCII words are decided by one mask).
        private static func hasNoByteFromEE(_ word: UInt64) -> Bool {
            if word & 0x8080_8080_8080_8080 == 0 { return true }
            var rest = word
            for _ in 0..<8 {
                if rest & 0xFF >= 0xEE { return false }
                rest >>= 8
            }
            return true
        }
    }

    static func precedes(_ a: Entry, _ b: Entry, in members: UnsafeBufferPointer<JSONMember>) -> Bool {
        if a.prefix != b.prefix, a.prefixIsOrdered, b.prefixIsOrdered { return a.prefix < b.prefix }
        return precedes(members[a.index].key, members[b.index].key)
    }

    /// Insertion sort suits the small objects specs are made of; big objects use the standard
    /// library's sort.
    static func sort(_ entries: UnsafeMutableBufferPointer<Entry>, in members: UnsafeBufferPointer<JSONMember>) {
        guard entries.count > 1 else { return }
        if entries.count > 24 {
            var entries = entries
            entries.sort { precedes($0, $1, in: members) }
            return
        }
        for position in 1..<entries.count {
            let moving = entries[position]
            var slot = position
            while slot > 0, precedes(moving, entries[slot - 1], in: members) {
                entries[slot] = entries[slot - 1]
                slot -= 1
            }
            entries[slot] = moving
        }
    }

    /// `keys` in JCS order.
    static func sortedKeys(_ keys: [String]) -> [String] {
        keys.sorted(by: precedes)
    }
}
