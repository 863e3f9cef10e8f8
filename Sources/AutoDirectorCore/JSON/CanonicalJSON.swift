/// The RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so that
/// equal specs hash equally whatever member order or number spelling they were written with.
///
/// Canonicalization sits on the hot path of hashing every spec, so the writer appends straight
/// into a `[UInt8]`, formats integral numbers without going through `String`, copies strings that
/// need no escaping in one block, and only sorts an object's keys when they are not already in
/// order.
public enum CanonicalJSON {
    public static func bytes(_ value: JSONValue) throws -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(512)
        try write(value, into: &buffer)
        return buffer
    }

    public static func string(_ value: JSONValue) throws -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }

    /// Appends the canonical form of `value` to `buffer`; on error `buffer` may hold a partial
    /// document, so callers that reuse a buffer should discard it after a throw.
    public static func write(_ value: JSONValue, into buffer: inout [UInt8]) throws {
        do {
            try writeValue(value, into: &buffer)
        } catch is NonFiniteNumber {
            throw CanonicalJSONError(locatingNonFiniteNumberIn: value)
        }
    }

    /// ECMAScript `Number.prototype.toString` for `d` (JCS §3.2.2.3). Non-finite values, which
    /// `write` refuses, are rendered the way ECMAScript renders them: `NaN`, `Infinity`,
    /// `-Infinity`.
    public static func formatNumber(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(24)
        JSONTextEncoding.writeNumber(d, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Thrown internally from deep inside the writer; `write` turns it into a `CanonicalJSONError`
    /// that names where the number is, which is only worth computing once something failed.
    private struct NonFiniteNumber: Error {}

    private static func writeValue(_ value: JSONValue, into buffer: inout [UInt8]) throws {
        switch value {
        case .null:
            JSONTextEncoding.append("null", to: &buffer)
        case .bool(let flag):
            JSONTextEncoding.append(flag ? "true" : "false", to: &buffer)
        case .number(let number):
            guard number.isFinite else { throw NonFiniteNumber() }
            JSONTextEncoding.writeNumber(number, into: &buffer)
        case .string(let string):
            JSONTextEncoding.writeString(string, into: &buffer)
        case .array(let elements):
            buffer.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                try writeValue(element, into: &buffer)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let object):
            try writeObject(object.members, into: &buffer)
        }
    }

    private static func writeObject(_ members: [JSONMember], into buffer: inout [UInt8]) throws {
        buffer.append(UInt8(ascii: "{"))
        var sorted = true
        if members.count > 1 {
            for position in 1..<members.count
            where !JSONKeyOrder.precedes(members[position - 1].key, members[position].key) {
                sorted = false
                break
            }
        }
        if sorted {
            for position in members.indices {
                try writeMember(members[position], first: position == 0, into: &buffer)
            }
        } else {
            // Sort a permutation on the stack rather than a copy of the members: no heap traffic
            // and no retain/release of the member values while shuffling.
            try withUnsafeTemporaryAllocation(of: Int.self, capacity: members.count) { order in
                for position in order.indices { order[position] = position }
                JSONKeyOrder.sort(order) { members[$0].key }
                for position in order.indices {
                    try writeMember(members[order[position]], first: position == 0, into: &buffer)
                }
            }
        }
        buffer.append(UInt8(ascii: "}"))
    }

    private static func writeMember(_ member: JSONMember, first: Bool, into buffer: inout [UInt8]) throws {
        if !first { buffer.append(UInt8(ascii: ",")) }
        JSONTextEncoding.writeString(member.key, into: &buffer)
        buffer.append(UInt8(ascii: ":"))
        try writeValue(member.value, into: &buffer)
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

    private static func firstNonFinite(in value: JSONValue, at pointer: JSONPointer) -> (pointer: JSONPointer, number: Double)? {
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

    /// Sorts `order` (indices) by the keys `key` gives for them. Insertion sort suits the small
    /// objects specs are made of; big objects fall back to the standard library's sort.
    static func sort(_ order: UnsafeMutableBufferPointer<Int>, key: (Int) -> String) {
        guard order.count > 1 else { return }
        if order.count > 24 {
            var order = order
            order.sort { precedes(key($0), key($1)) }
            return
        }
        for position in 1..<order.count {
            let moving = order[position]
            let movingKey = key(moving)
            var slot = position
            while slot > 0, precedes(movingKey, key(order[slot - 1])) {
                order[slot] = order[slot - 1]
                slot -= 1
            }
            order[slot] = moving
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
    static func append(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    // MARK: Strings

    /// Writes `string` quoted. Only `"`, `\` and C0 controls are escaped (JCS §3.2.2.2); everything
    /// else, non-ASCII included, is copied as UTF-8.
    static func writeString(_ string: String, into buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        let copied = string.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for byte in utf8 where needsEscape(byte) {
                writeEscaped(utf8, into: &buffer)
                return true
            }
            buffer.append(contentsOf: utf8)
            return true
        }
        if copied == nil {
            writeEscaped(Array(string.utf8), into: &buffer)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func writeEscaped<Bytes: Collection<UInt8>>(_ utf8: Bytes, into buffer: inout [UInt8]) {
        for byte in utf8 {
            guard needsEscape(byte) else {
                buffer.append(byte)
                continue
            }
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            default:
                append("u00", to: &buffer)
                buffer.append(hexDigit(byte >> 4))
                buffer.append(hexDigit(byte & 0x0F))
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    // MARK: Numbers

    /// 2^53: below it every integral double is an exact `Int64` and prints as plain digits.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// Exact powers of ten as doubles (10^22 is the largest one a double holds exactly).
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var power = 1.0
        for _ in 0..<exponent { power *= 10 }
        return power
    }

    /// Writes a finite `d` as ECMAScript `Number.prototype.toString` would.
    static func writeNumber(_ d: Double, into buffer: inout [UInt8]) {
        if d == 0 {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        let magnitude = d.magnitude
        if magnitude < exactIntegerLimit, magnitude == magnitude.rounded(.towardZero) {
            if d < 0 { buffer.append(UInt8(ascii: "-")) }
            writeDigits(of: UInt64(magnitude), into: &buffer)
            return
        }
        if let (digits, fractionDigits) = shortDecimal(magnitude) {
            writeLayout(digits: digits, pointPosition: decimalDigitCount(digits) - fractionDigits, negative: d < 0, into: &buffer)
            return
        }
        writeViaDescription(d, into: &buffer)
    }

    /// The common short decimals (`2.8`, `0.75`) without going through `Double.description`: the
    /// fewest fraction digits k for which an integer m gives m / 10^k == d. Because m and 10^k are
    /// exact and division is correctly rounded, that equality is exactly "m·10^-k reads back as d",
    /// and the smallest such k gives the shortest digit string, which is what ECMAScript prints.
    /// Keeping m·10^k below 2^50 makes the round-trip window narrower than 1, so at most one of
    /// the three integers nearest to d·10^k can qualify and the answer is unique.
    static func shortDecimal(_ magnitude: Double) -> (digits: UInt64, fractionDigits: Int)? {
        let limit = 1_125_899_906_842_624.0  // 2^50
        var fractionDigits = 1
        while fractionDigits < powersOfTen.count {
            let power = powersOfTen[fractionDigits]
            let scaled = magnitude * power
            if scaled >= limit { return nil }
            let nearest = scaled.rounded()
            if nearest / power == magnitude { return (UInt64(nearest), fractionDigits) }
            if nearest > 1, (nearest - 1) / power == magnitude { return (UInt64(nearest - 1), fractionDigits) }
            if (nearest + 1) / power == magnitude { return (UInt64(nearest + 1), fractionDigits) }
            fractionDigits += 1
        }
        return nil
    }

    /// The general case: `Double.description` already prints the shortest digits that round-trip
    /// (choosing the closest when several do), so take its digits and exponent and lay them out
    /// by the ECMAScript rules.
    static func writeViaDescription(_ d: Double, into buffer: inout [UInt8]) {
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var pointPosition = 0
        var sawPoint = false
        var exponent = 0
        var exponentSign = 1
        var inExponent = false
        for byte in d.magnitude.description.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inExponent {
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                } else if byte == UInt8(ascii: "0") && digits.isEmpty {
                    if sawPoint { pointPosition -= 1 }
                } else {
                    digits.append(byte)
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
        // Zeros that only pad the integer part ("1000000000000000.0") were already counted in the
        // point position, so they can go from the digit string.
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        digits.withUnsafeBufferPointer { digitBuffer in
            layOut(digitBuffer, pointPosition: pointPosition + exponentSign * exponent, negative: d < 0, into: &buffer)
        }
    }

    private static func writeLayout(digits: UInt64, pointPosition: Int, negative: Bool, into buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var value = digits
            var count = 0
            repeat {
                scratch[19 - count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0
            layOut(UnsafeBufferPointer(rebasing: scratch[(20 - count)...]), pointPosition: pointPosition, negative: negative, into: &buffer)
        }
    }

    /// ECMAScript Number::toString steps 6–10 for digits d1…dk and point position n (the value is
    /// 0.d1…dk × 10^n): plain digits up to 21 integer places, a plain fraction down to 10^-6,
    /// exponent form otherwise.
    private static func layOut(_ digits: UnsafeBufferPointer<UInt8>, pointPosition n: Int, negative: Bool, into buffer: inout [UInt8]) {
        let k = digits.count
        if negative { buffer.append(UInt8(ascii: "-")) }
        if k <= n && n <= 21 {
            buffer.append(contentsOf: digits)
            for _ in 0..<(n - k) { buffer.append(UInt8(ascii: "0")) }
        } else if 0 < n && n <= 21 {
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<n]))
            buffer.append(UInt8(ascii: "."))
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n...]))
        } else if -6 < n && n <= 0 {
            buffer.append(UInt8(ascii: "0"))
            buffer.append(UInt8(ascii: "."))
            for _ in 0..<(-n) { buffer.append(UInt8(ascii: "0")) }
            buffer.append(contentsOf: digits)
        } else {
            buffer.append(digits[0])
            if k > 1 {
                buffer.append(UInt8(ascii: "."))
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[1...]))
            }
            buffer.append(UInt8(ascii: "e"))
            let exponent = n - 1
            buffer.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            writeDigits(of: UInt64(exponent.magnitude), into: &buffer)
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

    /// Appends the decimal digits of `value` without building a `String`.
    static func writeDigits(of value: UInt64, into buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        let start = buffer.count
        var rest = value
        while rest > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        buffer[start...].reverse()
    }
}
