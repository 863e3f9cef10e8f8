/// A strict RFC 8259 parser.
///
/// Strict because the documents it reads are specs that get hashed and patched: anything a lenient
/// parser would silently reinterpret (duplicate keys, `NaN`, leading zeros, lone surrogates, invalid
/// UTF-8) is refused with a line and column, so the author can fix the file instead of getting a
/// different spec than the one they wrote.
///
/// It works on raw bytes through an unsafe buffer pointer and only builds a `String` once per
/// string token, which keeps it fast enough to read large batches of specs.
///
/// `maxDepth` (`JSONDepth.limit` by default: deep enough for any real spec) bounds the nesting of arrays and
/// objects so that the recursive descent cannot exhaust the stack on hostile input.
public enum JSONParser {
    public static func parse(_ bytes: [UInt8], maxDepth: Int = JSONDepth.limit) throws -> JSONValue {
        try parse(bytes, maxDepth: maxDepth, duplicateKeys: .reject)
    }

    public static func parse(_ text: String, maxDepth: Int = JSONDepth.limit) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            var parser = Parser(buffer, maxDepth: maxDepth, duplicateKeys: .reject)
            return try parser.parseDocument()
        }
    }

    /// Parses a document whose top level must be an array and returns its elements with the
    /// position where each starts, so that a caller validating a batch file can point at the
    /// offending element.
    public static func parseArrayElements(_ bytes: [UInt8], maxDepth: Int = JSONDepth.limit) throws -> [PositionedJSONValue] {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer, maxDepth: maxDepth, duplicateKeys: .reject)
            return try parser.parsePositionedArray()
        }
    }

    /// What to do with a repeated object key. Only `.reject` is offered publicly; `.lastWins`
    /// exists for reading third-party fixture files (the RFC 6902 suite has duplicate keys in
    /// records that are disabled).
    enum DuplicateKeyPolicy {
        case reject
        case lastWins
    }

    static func parse(_ bytes: [UInt8], maxDepth: Int, duplicateKeys: DuplicateKeyPolicy) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer, maxDepth: maxDepth, duplicateKeys: duplicateKeys)
            return try parser.parseDocument()
        }
    }
}

/// A top-level array element together with the 1-based line and column of its first character.
public struct PositionedJSONValue: Sendable {
    public var value: JSONValue
    public var line: Int
    public var column: Int

    public init(value: JSONValue, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }
}

/// Why a document was refused, and where. `line` and `column` are 1-based and the column counts
/// Unicode scalars, which is what an editor shows; `offset` is the 0-based byte offset.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// ASCII bytes the grammar is written in.
private enum Byte {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let upperE: UInt8 = 0x45
    static let upperI: UInt8 = 0x49
    static let upperN: UInt8 = 0x4E
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let lowerB: UInt8 = 0x62
    static let lowerE: UInt8 = 0x65
    static let lowerF: UInt8 = 0x66
    static let lowerN: UInt8 = 0x6E
    static let lowerR: UInt8 = 0x72
    static let lowerT: UInt8 = 0x74
    static let lowerU: UInt8 = 0x75
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }
}

/// The recursive-descent state over one input buffer. The buffer outlives the parser because the
/// parser only exists inside `withUnsafeBufferPointer` / `withUTF8`.
private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let end: Int
    let maxDepth: Int
    let duplicateKeys: JSONParser.DuplicateKeyPolicy
    var index = 0
    var line = 1
    /// Byte offset where the current line starts; columns are counted from here only when needed.
    var lineStart = 0
    /// A remembered (offset, column) on the current line, so that positioning many elements of a
    /// long single-line array stays linear instead of recounting from the line start each time.
    var columnCacheOffset = 0
    var columnCacheColumn = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, duplicateKeys: JSONParser.DuplicateKeyPolicy) {
        self.bytes = bytes
        self.end = bytes.count
        self.maxDepth = maxDepth
        self.duplicateKeys = duplicateKeys
    }

    // MARK: Documents

    mutating func parseDocument() throws -> JSONValue {
        let value = try parseValue(depth: 0)
        try expectEndOfInput()
        return value
    }

    mutating func parsePositionedArray() throws -> [PositionedJSONValue] {
        skipWhitespace()
        guard index < end else { throw error("unexpected end of input, expected an array") }
        guard bytes[index] == Byte.openBracket else {
            throw error("expected the top-level value to be an array, found \(describeToken(at: index))")
        }
        try checkDepth(1)
        index += 1
        var elements: [PositionedJSONValue] = []
        skipWhitespace()
        if index < end, bytes[index] == Byte.closeBracket {
            index += 1
            try expectEndOfInput()
            return elements
        }
        while true {
            skipWhitespace()
            if index < end, bytes[index] == Byte.closeBracket, !elements.isEmpty {
                throw error("trailing comma before ']'")
            }
            let elementLine = line
            let elementColumn = cachedColumn(at: index)
            let value = try parseValue(depth: 1)
            elements.append(PositionedJSONValue(value: value, line: elementLine, column: elementColumn))
            if try endOfArrayAfterElement() { break }
        }
        try expectEndOfInput()
        return elements
    }

    mutating func expectEndOfInput() throws {
        skipWhitespace()
        if index < end {
            throw error("unexpected \(describeToken(at: index)) after the top-level value")
        }
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws -> JSONValue {
        skipWhitespace()
        guard index < end else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case Byte.openBrace:
            return try parseObject(depth: depth + 1)
        case Byte.openBracket:
            return try parseArray(depth: depth + 1)
        case Byte.quote:
            return .string(try parseString())
        case Byte.lowerT:
            try expectLiteral("true")
            return .bool(true)
        case Byte.lowerF:
            try expectLiteral("false")
            return .bool(false)
        case Byte.lowerN:
            try expectLiteral("null")
            return .null
        case Byte.minus, Byte.zero...Byte.nine:
            return .number(try parseNumber())
        case Byte.plus:
            throw error("a number must not start with '+'")
        case Byte.dot:
            throw error("a number must have a digit before the decimal point")
        case Byte.upperN, Byte.upperI:
            if startsWith("NaN") || startsWith("Infinity") {
                throw error("NaN and Infinity are not valid JSON numbers")
            }
            throw error("unexpected \(describeToken(at: index)), expected a value")
        default:
            throw error("unexpected \(describeToken(at: index)), expected a value")
        }
    }

    mutating func parseObject(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        index += 1
        skipWhitespace()
        var object = JSONObject()
        var keyIndex: [ScalarKey: Int] = [:]
        if index < end, bytes[index] == Byte.closeBrace {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < end else { throw error("unexpected end of input, expected an object key") }
            guard bytes[index] == Byte.quote else {
                if bytes[index] == Byte.closeBrace, !object.isEmpty {
                    throw error("trailing comma before '}'")
                }
                throw error("expected a string key, found \(describeToken(at: index))")
            }
            let keyOffset = index
            let keyLine = line
            let keyLineStart = lineStart
            let key = try parseString()
            skipWhitespace()
            guard index < end, bytes[index] == Byte.colon else {
                throw error(index < end ? "expected ':' after object key" : "unexpected end of input, expected ':'")
            }
            index += 1
            let value = try parseValue(depth: depth)
            guard object.count < JSONObject.maxMembers else {
                throw error("an object may have at most \(JSONObject.maxMembers) members")
            }
            // Small objects (every spec's) find a repeated key by the one scan inserting through
            // the subscript costs anyway; past that a table keeps a large hostile object linear.
            let countBefore = object.count
            if countBefore < 32 {
                object[key] = value
                if countBefore == 31 {
                    for (position, member) in object.members.enumerated() { keyIndex[ScalarKey(member.key)] = position }
                }
            } else if let position = keyIndex[ScalarKey(key)] {
                object.replaceValue(at: position, with: value)
            } else {
                keyIndex[ScalarKey(key)] = countBefore
                object.appendUnchecked(JSONMember(key, value))
            }
            if object.count == countBefore, duplicateKeys == .reject {
                // The value may have spanned lines, so position the error where the key was.
                throw JSONParseError(
                    message: "duplicate key \(quoted(key))", line: keyLine,
                    column: countScalars(from: keyLineStart, to: keyOffset) + 1, offset: keyOffset)
            }
            skipWhitespace()
            guard index < end else { throw error("unexpected end of input, expected ',' or '}'") }
            switch bytes[index] {
            case Byte.comma:
                index += 1
            case Byte.closeBrace:
                index += 1
                return .object(object)
            default:
                throw error("expected ',' or '}' after object member")
            }
        }
    }

    mutating func parseArray(depth: Int) throws -> JSONValue {
        try checkDepth(depth)
        index += 1
        skipWhitespace()
        if index < end, bytes[index] == Byte.closeBracket {
            index += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        while true {
            skipWhitespace()
            if index < end, bytes[index] == Byte.closeBracket, !elements.isEmpty {
                throw error("trailing comma before ']'")
            }
            elements.append(try parseValue(depth: depth))
            if try endOfArrayAfterElement() { return .array(elements) }
        }
    }

    /// Consumes the `,` or `]` after an array element; true when the array is finished.
    mutating func endOfArrayAfterElement() throws -> Bool {
        skipWhitespace()
        guard index < end else { throw error("unexpected end of input, expected ',' or ']'") }
        switch bytes[index] {
        case Byte.comma:
            index += 1
            return false
        case Byte.closeBracket:
            index += 1
            return true
        default:
            throw error("expected ',' or ']' after array element")
        }
    }

    func checkDepth(_ depth: Int) throws {
        if depth > maxDepth {
            throw error("nesting is deeper than the maximum depth of \(maxDepth)")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws {
        guard startsWith(literal) else {
            throw error("invalid literal, expected '\(literal)'")
        }
        index += literal.utf8CodeUnitCount
    }

    func startsWith(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - index >= count else { return false }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        return true
    }

    // MARK: Numbers

    /// Validates the RFC 8259 number grammar while accumulating the digits. Numbers with at most
    /// 15 significant digits and a decimal exponent within ±22 are converted exactly: the digits
    /// and the power of ten are both exact doubles, so one IEEE multiplication or division gives
    /// the correctly rounded result (Clinger's fast path). Anything else goes through
    /// `Double(String)`, which is correctly rounded for every input.
    mutating func parseNumber() throws -> Double {
        let start = index
        var negative = false
        if bytes[index] == Byte.minus {
            negative = true
            index += 1
            guard index < end, Byte.isDigit(bytes[index]) else {
                if startsWith("Infinity") { throw error("NaN and Infinity are not valid JSON numbers") }
                throw error("expected a digit after '-'")
            }
        }
        var mantissa: UInt64 = 0
        var digitCount = 0
        if bytes[index] == Byte.zero {
            index += 1
            if index < end, Byte.isDigit(bytes[index]) {
                throw error("leading zeros are not allowed in numbers", at: start)
            }
        } else {
            while index < end, Byte.isDigit(bytes[index]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- Byte.zero)
                digitCount += 1
                index += 1
            }
        }
        var exponent = 0
        if index < end, bytes[index] == Byte.dot {
            index += 1
            guard index < end, Byte.isDigit(bytes[index]) else {
                throw error("expected a digit after the decimal point")
            }
            while index < end, Byte.isDigit(bytes[index]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- Byte.zero)
                digitCount += 1
                exponent -= 1
                index += 1
            }
        }
        if index < end, bytes[index] == Byte.lowerE || bytes[index] == Byte.upperE {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == Byte.plus || bytes[index] == Byte.minus {
                exponentNegative = bytes[index] == Byte.minus
                index += 1
            }
            guard index < end, Byte.isDigit(bytes[index]) else {
                throw error("expected a digit in the exponent")
            }
            var explicit = 0
            while index < end, Byte.isDigit(bytes[index]) {
                // Saturate: anything this large is decided by the slow path anyway.
                explicit = min(explicit &* 10 &+ Int(bytes[index] &- Byte.zero), 100_000)
                index += 1
            }
            exponent += exponentNegative ? -explicit : explicit
        }
        if digitCount <= 15, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent > 0 {
                value *= JSONTextEncoding.powersOfTen[exponent]
            } else if exponent < 0 {
                value /= JSONTextEncoding.powersOfTen[-exponent]
            }
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("number \(text) is out of the range of a double", at: start)
        }
        return value
    }

    // MARK: Strings

    /// Parses a string token starting at its opening quote. The common case (no escapes) is one
    /// validating scan and one `String` creation from the byte slice.
    mutating func parseString() throws -> String {
        let quoteOffset = index
        index += 1
        let start = index
        // Eight plain ASCII bytes at a time (none of them `"`, `\`, a control character or
        // non-ASCII); the byte loop below handles whatever stops it.
        while end - index >= 8 {
            let word = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + index).loadUnaligned(as: UInt64.self)
            if JSONTextEncoding.wordNeedsEscape(word) || word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < end {
            let byte = bytes[index]
            if byte == Byte.quote {
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == Byte.backslash {
                return try parseEscapedString(from: start, quoteOffset: quoteOffset)
            }
            if byte < 0x20 {
                throw error("unescaped control character \(scalarName(UInt32(byte))) in string")
            }
            if byte < 0x80 {
                index += 1
            } else {
                try skipUTF8Sequence()
            }
        }
        throw error("unterminated string", at: quoteOffset)
    }

    /// The slow path once a backslash is seen: copies what was scanned so far, then decodes escapes.
    mutating func parseEscapedString(from start: Int, quoteOffset: Int) throws -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(index - start + 16)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < end {
            let byte = bytes[index]
            switch byte {
            case Byte.quote:
                index += 1
                return String(decoding: buffer, as: UTF8.self)
            case Byte.backslash:
                try decodeEscape(into: &buffer)
            case 0..<0x20:
                throw error("unescaped control character \(scalarName(UInt32(byte))) in string")
            case 0x20..<0x80:
                buffer.append(byte)
                index += 1
            default:
                let sequenceStart = index
                try skipUTF8Sequence()
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[sequenceStart..<index]))
            }
        }
        throw error("unterminated string", at: quoteOffset)
    }

    mutating func decodeEscape(into buffer: inout [UInt8]) throws {
        let escapeOffset = index
        index += 1
        guard index < end else { throw error("unterminated string", at: escapeOffset) }
        let byte = bytes[index]
        index += 1
        switch byte {
        case Byte.quote: buffer.append(Byte.quote)
        case Byte.backslash: buffer.append(Byte.backslash)
        case Byte.slash: buffer.append(Byte.slash)
        case Byte.lowerB: buffer.append(0x08)
        case Byte.lowerF: buffer.append(0x0C)
        case Byte.lowerN: buffer.append(Byte.newline)
        case Byte.lowerR: buffer.append(Byte.carriageReturn)
        case Byte.lowerT: buffer.append(Byte.tab)
        case Byte.lowerU:
            let unit = try readHex4(escapeOffset: escapeOffset)
            var scalar = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard end - index >= 2, bytes[index] == Byte.backslash, bytes[index + 1] == Byte.lowerU else {
                    throw error(
                        "lone high surrogate \\u\(hex4(unit)) is not followed by a low surrogate escape",
                        at: escapeOffset)
                }
                let lowOffset = index
                index += 2
                let low = try readHex4(escapeOffset: lowOffset)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error(
                        "high surrogate \\u\(hex4(unit)) is followed by \\u\(hex4(low)), which is not a low surrogate",
                        at: escapeOffset)
                }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error("lone low surrogate \\u\(hex4(unit)) without a preceding high surrogate", at: escapeOffset)
            }
            appendUTF8(scalar, to: &buffer)
        default:
            throw error("invalid escape sequence '\\\(printable(byte))' in string", at: escapeOffset)
        }
    }

    mutating func readHex4(escapeOffset: Int) throws -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < end else { throw error("unterminated \\u escape", at: escapeOffset) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw error("\\u escape needs four hexadecimal digits", at: escapeOffset)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            buffer.append(UInt8(scalar))
        case 0x80..<0x800:
            buffer.append(UInt8(0xC0 | scalar >> 6))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            buffer.append(UInt8(0xE0 | scalar >> 12))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | scalar >> 18))
            buffer.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `index` (Unicode Table 3-7: no overlongs, no
    /// encoded surrogates, nothing above U+10FFFF) and steps over it.
    mutating func skipUTF8Sequence() throws {
        let length = utf8SequenceLength(at: index)
        guard length > 0 else {
            throw error("invalid UTF-8 byte 0x\(hex2(bytes[index]))")
        }
        index += length
    }

    /// The length of the valid multi-byte sequence starting at `offset`, or 0 if it is invalid.
    func utf8SequenceLength(at offset: Int) -> Int {
        let lead = bytes[offset]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return 0
        }
        guard end - offset >= length, secondRange.contains(bytes[offset + 1]) else { return 0 }
        for position in (offset + 2)..<(offset + length) where bytes[position] & 0xC0 != 0x80 {
            return 0
        }
        return length
    }

    // MARK: Whitespace and positions

    /// Compact documents have no whitespace between tokens, so the common case is one comparison.
    @inline(__always)
    mutating func skipWhitespace() {
        if index < end, bytes[index] > Byte.space { return }
        skipWhitespaceSlowly()
    }

    mutating func skipWhitespaceSlowly() {
        while index < end {
            switch bytes[index] {
            case Byte.space, Byte.tab, Byte.carriageReturn:
                index += 1
            case Byte.newline:
                index += 1
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    /// The 1-based column of `offset` on the current line, counting scalars (every byte that is
    /// not a UTF-8 continuation byte starts one).
    func column(at offset: Int) -> Int {
        countScalars(from: lineStart, to: offset) + 1
    }

    mutating func cachedColumn(at offset: Int) -> Int {
        if columnCacheOffset < lineStart || columnCacheOffset > offset {
            columnCacheOffset = lineStart
            columnCacheColumn = 1
        }
        columnCacheColumn += countScalars(from: columnCacheOffset, to: offset)
        columnCacheOffset = offset
        return columnCacheColumn
    }

    func countScalars(from start: Int, to stop: Int) -> Int {
        var count = 0
        var position = start
        while position < stop && position < end {
            if bytes[position] & 0xC0 != 0x80 { count += 1 }
            position += 1
        }
        return count
    }

    // MARK: Errors

    func error(_ message: String) -> JSONParseError {
        error(message, at: index)
    }

    func error(_ message: String, at offset: Int) -> JSONParseError {
        JSONParseError(message: message, line: line, column: column(at: offset), offset: offset)
    }

    /// Names what sits at `offset` for an error message, reporting invalid UTF-8 as such.
    func describeToken(at offset: Int) -> String {
        let byte = bytes[offset]
        if byte < 0x80 {
            let isControl = byte < 0x20 || byte == 0x7F
            return isControl ? "character \(scalarName(UInt32(byte)))" : "character '\(printable(byte))'"
        }
        let length = utf8SequenceLength(at: offset)
        guard length > 0 else { return "invalid UTF-8 byte 0x\(hex2(byte))" }
        let sequence = UnsafeBufferPointer(rebasing: bytes[offset..<(offset + length)])
        let scalarText = String(decoding: sequence, as: UTF8.self)
        let scalar = scalarText.unicodeScalars.first.map { $0.value } ?? 0
        return "character \(scalarName(scalar))"
    }

    func printable(_ byte: UInt8) -> String {
        (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : scalarName(UInt32(byte))
    }

    func scalarName(_ scalar: UInt32) -> String {
        let digits = String(scalar, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    func hex2(_ value: UInt8) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    func quoted(_ key: String) -> String {
        JSONTextEncoding.quoted(key)
    }
}
