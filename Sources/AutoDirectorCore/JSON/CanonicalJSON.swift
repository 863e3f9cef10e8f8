/// The RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so that
/// equal specs hash equally whatever member order or number spelling they were written with.
///
/// Canonicalization sits on the hot path of hashing every spec, so the writer appends through a
/// raw pointer (`ByteSink`), formats integral and short decimal numbers without going through
/// `String`, copies strings that need no escaping in one block, and orders keys by comparing
/// 8-byte prefixes as integers, only sorting when an object is not already in order.
public enum CanonicalJSON {
    public static func bytes(_ value: JSONValue) throws -> [UInt8] {
        var sink = ByteSink(capacity: 512)
        try write(value, into: &sink)
        return sink.makeArray()
    }

    public static func string(_ value: JSONValue) throws -> String {
        var sink = ByteSink(capacity: 512)
        try write(value, into: &sink)
        return sink.makeString()
    }

    /// Appends the canonical form of `value` to `buffer`; on error `buffer` is left unchanged.
    public static func write(_ value: JSONValue, into buffer: inout [UInt8]) throws {
        var sink = ByteSink(capacity: 512)
        try write(value, into: &sink)
        sink.withBytes { buffer.append(contentsOf: $0) }
    }

    /// ECMAScript `Number.prototype.toString` for `d` (JCS §3.2.2.3). Non-finite values, which
    /// `write` refuses, are rendered the way ECMAScript renders them: `NaN`, `Infinity`,
    /// `-Infinity`.
    public static func formatNumber(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        var sink = ByteSink(capacity: 32)
        JSONTextEncoding.writeNumber(d, into: &sink)
        return sink.makeString()
    }

    static func write(_ value: JSONValue, into sink: inout ByteSink) throws {
        do {
            try withUnsafePointer(to: value) { try writeValue(at: $0, into: &sink) }
        } catch is NonFiniteNumber {
            throw CanonicalJSONError(locatingNonFiniteNumberIn: value)
        }
    }

    /// Thrown internally from deep inside the writer; `write` turns it into a `CanonicalJSONError`
    /// that names where the number is, which is only worth computing once something failed.
    private struct NonFiniteNumber: Error {}

    /// Where `value` sits inside a `JSONMember`, to reach member values in place. It is a stored
    /// property of a struct of this module, so the offset always exists.
    private static let memberValueOffset = MemoryLayout<JSONMember>.offset(of: \JSONMember.value)!

    /// Values are visited through pointers into their parents' storage (kept alive by the
    /// enclosing `withUnsafeBufferPointer`): passing them by value would copy, retain and release
    /// every element and member on the way down, which cost more than the writing itself.
    private static func writeValue(at value: UnsafePointer<JSONValue>, into sink: inout ByteSink) throws {
        switch value.pointee {
        case .null:
            sink.append("null")
        case .bool(let flag):
            sink.append(flag ? "true" : "false")
        case .number(let number):
            guard number.isFinite else { throw NonFiniteNumber() }
            JSONTextEncoding.writeNumber(number, into: &sink)
        case .string(let string):
            JSONTextEncoding.writeString(string, into: &sink)
        case .array(let elements):
            sink.append(UInt8(ascii: "["))
            try elements.withUnsafeBufferPointer { elements in
                guard let first = elements.baseAddress else { return }
                for position in elements.indices {
                    if position > 0 { sink.append(UInt8(ascii: ",")) }
                    try writeValue(at: first + position, into: &sink)
                }
            }
            sink.append(UInt8(ascii: "]"))
        case .object(let object):
            try object.members.withUnsafeBufferPointer { members in
                try writeObject(members, into: &sink)
            }
        }
    }

    private static func writeObject(_ members: UnsafeBufferPointer<JSONMember>, into sink: inout ByteSink) throws {
        sink.append(UInt8(ascii: "{"))
        guard let firstMember = members.baseAddress else {
            sink.append(UInt8(ascii: "}"))
            return
        }
        let valueOffset = memberValueOffset
        // Order the members through a table on the stack, so neither the members nor their keys
        // are copied, retained or compared as strings more than necessary.
        try withUnsafeTemporaryAllocation(of: JSONKeyOrder.Entry.self, capacity: members.count) { entries in
            var sorted = true
            for position in members.indices {
                let entry = JSONKeyOrder.Entry(index: position, key: members[position].key)
                entries.initializeElement(at: position, to: entry)
                if position > 0, sorted, !JSONKeyOrder.precedes(entries[position - 1], entry, in: members) {
                    sorted = false
                }
            }
            if !sorted { JSONKeyOrder.sort(entries, in: members) }
            for position in entries.indices {
                if position > 0 { sink.append(UInt8(ascii: ",")) }
                let entry = entries[position]
                if entry.isShortPlainKey {
                    sink.appendQuotedShortKey(low: entry.low, high: entry.high, length: entry.length)
                } else {
                    JSONTextEncoding.writeString(members[entry.index].key, into: &sink)
                    sink.append(UInt8(ascii: ":"))
                }
                let member = UnsafeRawPointer(firstMember + entry.index)
                try writeValue(
                    at: member.advanced(by: valueOffset).assumingMemoryBound(to: JSONValue.self), into: &sink)
            }
        }
        sink.append(UInt8(ascii: "}"))
    }
}

/// Why a value has no canonical form: JSON (and so JCS) has no NaN or infinities.
public struct CanonicalJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Where the offending number is, as a JSON Pointer.
    public var pointer: JSONPointer

    public init(message: String, pointer: JSONPointer) {
        self.message = message
        self.pointer = pointer
    }

    public var description: String { message }

    init(locatingNonFiniteNumberIn value: JSONValue) {
        let found = Self.firstNonFinite(in: value, at: JSONPointer(tokens: []))
        let pointer = found?.pointer ?? JSONPointer(tokens: [])
        let number = found.map { CanonicalJSON.formatNumber($0.number) } ?? "non-finite"
        let location = pointer.tokens.isEmpty ? "the root" : pointer.description
        self.init(
            message: "cannot canonicalize \(number) at \(location): JSON numbers must be finite",
            pointer: pointer)
    }

    private static func firstNonFinite(
        in value: JSONValue, at pointer: JSONPointer
    ) -> (pointer: JSONPointer, number: Double)? {
        switch value {
        case .number(let number) where !number.isFinite:
            return (pointer, number)
        case .array(let elements):
            for (position, element) in elements.enumerated() {
                if let found = firstNonFinite(in: element, at: pointer.appending(String(position))) { return found }
            }
        case .object(let object):
            for member in object {
                if let found = firstNonFinite(in: member.value, at: pointer.appending(member.key)) { return found }
            }
        default:
            break
        }
        return nil
    }
}

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

/// The text rules shared by the canonical and the ordinary writer: JCS string escaping and
/// ECMAScript number formatting.
enum JSONTextEncoding {
    /// `string` as a quoted JSON string literal, for error messages and paths.
    static func quoted(_ string: String) -> String {
        var sink = ByteSink(capacity: string.utf8.count + 2)
        writeString(string, into: &sink)
        return sink.makeString()
    }

    // MARK: Strings

    /// Writes `string` quoted. Only `"`, `\` and C0 controls are escaped (JCS §3.2.2.2); everything
    /// else, non-ASCII included, is copied as UTF-8.
    static func writeString(_ string: String, into sink: inout ByteSink) {
        var string = string
        string.withUTF8 { utf8 in
            if !sink.appendQuotedIfNoEscapes(utf8) {
                sink.append(UInt8(ascii: "\""))
                writeEscaped(utf8, into: &sink)
                sink.append(UInt8(ascii: "\""))
            }
        }
    }

    /// Whether any byte of `word` is below 0x20, `"` or `\` (SWAR: a byte of `x` is zero exactly
    /// when `(x - 0x01…) & ~x & 0x80…` has its high bit set, and below 0x20 likewise with 0x20…).
    static func wordNeedsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let controls = (word &- ones &* 0x20) & ~word
        let quoteHits = (quotes &- ones) & ~quotes
        let backslashHits = (backslashes &- ones) & ~backslashes
        return (controls | quoteHits | backslashHits) & highs != 0
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into sink: inout ByteSink) {
        for byte in utf8 {
            guard needsEscape(byte) else {
                sink.append(byte)
                continue
            }
            sink.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): sink.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): sink.append(UInt8(ascii: "\\"))
            case 0x08: sink.append(UInt8(ascii: "b"))
            case 0x09: sink.append(UInt8(ascii: "t"))
            case 0x0A: sink.append(UInt8(ascii: "n"))
            case 0x0C: sink.append(UInt8(ascii: "f"))
            case 0x0D: sink.append(UInt8(ascii: "r"))
            default:
                sink.append("u00")
                sink.append(hexDigit(byte >> 4))
                sink.append(hexDigit(byte & 0x0F))
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    // MARK: Numbers

    /// 2^53: below it every integral double is an exact `UInt64` and prints as plain digits.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// 2^50: see `shortDecimal`.
    private static let shortDecimalLimit = 1_125_899_906_842_624.0

    /// Exact powers of ten as doubles (10^22 is the largest one a double holds exactly).
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var power = 1.0
        for _ in 0..<exponent { power *= 10 }
        return power
    }

    /// Writes a finite `d` as ECMAScript `Number.prototype.toString` would.
    static func writeNumber(_ d: Double, into sink: inout ByteSink) {
        if d == 0 {
            sink.append(UInt8(ascii: "0"))
            return
        }
        let magnitude = d.magnitude
        if d < 0 { sink.append(UInt8(ascii: "-")) }
        if magnitude < exactIntegerLimit, magnitude == magnitude.rounded(.towardZero) {
            sink.appendDecimal(UInt64(magnitude))
        } else if let (digits, fractionDigits) = shortDecimal(magnitude) {
            writeLayout(digits: digits, pointPosition: decimalDigitCount(digits) - fractionDigits, into: &sink)
        } else {
            writeViaDescription(magnitude, into: &sink)
        }
    }

    /// The common short decimals (`2.8`, `0.75`) without going through `Double.description`: the
    /// fewest fraction digits k for which an integer m gives m / 10^k == d. Because m and 10^k are
    /// exact and division is correctly rounded, that equality is exactly "m·10^-k reads back as d",
    /// and the smallest such k gives the shortest digit string, which is what ECMAScript prints.
    /// Keeping m·10^k below 2^50 makes the round-trip window narrower than 1, so at most one of
    /// the three integers nearest to d·10^k can qualify and the answer is unique.
    static func shortDecimal(_ magnitude: Double) -> (digits: UInt64, fractionDigits: Int)? {
        var fractionDigits = 1
        while fractionDigits < powersOfTen.count {
            let power = powersOfTen[fractionDigits]
            let scaled = magnitude * power
            if scaled >= shortDecimalLimit { return nil }
            let nearest = scaled.rounded()
            if nearest / power == magnitude { return (UInt64(nearest), fractionDigits) }
            if nearest > 1, (nearest - 1) / power == magnitude { return (UInt64(nearest - 1), fractionDigits) }
            if (nearest + 1) / power == magnitude { return (UInt64(nearest + 1), fractionDigits) }
            fractionDigits += 1
        }
        return nil
    }

    /// The general case for a positive finite `magnitude`: `Double.description` already prints
    /// the shortest digits that round-trip (choosing the closest when several do), so take its
    /// digits and exponent and lay them out by the ECMAScript rules.
    static func writeViaDescription(_ magnitude: Double, into sink: inout ByteSink) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
            var count = 0
            var pointPosition = 0
            var sawPoint = false
            var exponent = 0
            var exponentSign = 1
            var inExponent = false
            for byte in magnitude.description.utf8 {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if inExponent {
                        exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                    } else if byte == UInt8(ascii: "0") && count == 0 {
                        if sawPoint { pointPosition -= 1 }
                    } else if count < digits.count {
                        digits[count] = byte
                        count += 1
                        if !sawPoint { pointPosition += 1 }
                    }
                case UInt8(ascii: "."):
                    sawPoint = true
                case UInt8(ascii: "e"), UInt8(ascii: "E"):
                    inExponent = true
                case UInt8(ascii: "-"):
                    exponentSign = -1
                default:
                    break
                }
            }
            // Zeros that only pad the integer part ("1000000000000000.0") were already counted in
            // the point position, so they can go from the digit string.
            while count > 1, digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
            layOut(
                UnsafeBufferPointer(rebasing: digits[..<count]), pointPosition: pointPosition + exponentSign * exponent,
                into: &sink)
        }
    }

    private static func writeLayout(digits: UInt64, pointPosition: Int, into sink: inout ByteSink) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var value = digits
            var count = 0
            repeat {
                scratch[19 - count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0
            layOut(UnsafeBufferPointer(rebasing: scratch[(20 - count)...]), pointPosition: pointPosition, into: &sink)
        }
    }

    /// ECMAScript Number::toString steps 6–10 for digits d1…dk and point position n (the value is
    /// 0.d1…dk × 10^n): plain digits up to 21 integer places, a plain fraction down to 10^-6,
    /// exponent form otherwise. The sign has already been written.
    private static func layOut(_ digits: UnsafeBufferPointer<UInt8>, pointPosition n: Int, into sink: inout ByteSink) {
        let k = digits.count
        if k <= n && n <= 21 {
            sink.append(digits)
            for _ in 0..<(n - k) { sink.append(UInt8(ascii: "0")) }
        } else if 0 < n && n <= 21 {
            sink.append(UnsafeBufferPointer(rebasing: digits[..<n]))
            sink.append(UInt8(ascii: "."))
            sink.append(UnsafeBufferPointer(rebasing: digits[n...]))
        } else if -6 < n && n <= 0 {
            sink.append("0.")
            for _ in 0..<(-n) { sink.append(UInt8(ascii: "0")) }
            sink.append(digits)
        } else {
            sink.append(digits[0])
            if k > 1 {
                sink.append(UInt8(ascii: "."))
                sink.append(UnsafeBufferPointer(rebasing: digits[1...]))
            }
            sink.append(UInt8(ascii: "e"))
            let exponent = n - 1
            sink.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            sink.appendDecimal(UInt64(exponent.magnitude))
        }
    }

    private static func decimalDigitCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        return count
    }
}

/// A growable byte buffer written through a raw pointer. `[UInt8].append` checks uniqueness and
/// capacity through the runtime on every byte, which dominated canonicalization; this checks
/// capacity inline and copies into an array once at the end. Non-copyable so the storage has
/// exactly one owner and is freed exactly once, even when writing throws.
struct ByteSink: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toAtLeast: count + 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(toAtLeast: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// The fast path for strings: copies `"utf8"` eight bytes at a time while checking that no
    /// byte needs escaping. Returns false, having written nothing, when one does.
    mutating func appendQuotedIfNoEscapes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = utf8.count
        if count + length + 2 > capacity { grow(toAtLeast: count + length + 2) }
        let destination = base + count + 1
        if let source = utf8.baseAddress {
            let raw = UnsafeRawPointer(source)
            var offset = 0
            while offset + 8 <= length {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                if JSONTextEncoding.wordNeedsEscape(word) { return false }
                UnsafeMutableRawPointer(destination).storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            while offset < length {
                let byte = source[offset]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
                destination[offset] = byte
                offset += 1
            }
        }
        base[count] = UInt8(ascii: "\"")
        destination[length] = UInt8(ascii: "\"")
        count += length + 2
        return true
    }

    /// Writes `"key":` for a key of at most 16 bytes held in two little-endian words; the
    /// stores may run past the key, into capacity that the following writes then overwrite.
    mutating func appendQuotedShortKey(low: UInt64, high: UInt64, length: Int) {
        if count + 20 > capacity { grow(toAtLeast: count + 20) }
        let start = UnsafeMutableRawPointer(base + count)
        start.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        start.storeBytes(of: low.littleEndian, toByteOffset: 1, as: UInt64.self)
        start.storeBytes(of: high.littleEndian, toByteOffset: 9, as: UInt64.self)
        start.storeBytes(of: UInt8(ascii: "\""), toByteOffset: length + 1, as: UInt8.self)
        start.storeBytes(of: UInt8(ascii: ":"), toByteOffset: length + 2, as: UInt8.self)
        count += length + 3
    }

    mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends the decimal digits of `value`, written in place from the last digit back.
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value))
            return
        }
        var digitCount = 1
        var rest = value / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        if count + digitCount > capacity { grow(toAtLeast: count + digitCount) }
        rest = value
        var position = count + digitCount
        repeat {
            position -= 1
            base[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        count += digitCount
    }

    @inline(never)
    private mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    func makeArray() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    func makeString() -> String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }
}
