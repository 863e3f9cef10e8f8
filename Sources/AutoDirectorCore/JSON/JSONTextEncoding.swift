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
