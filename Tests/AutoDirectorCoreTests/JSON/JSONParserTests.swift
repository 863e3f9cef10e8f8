import Testing

@testable import AutoDirectorCore

@Suite("JSONParser")
struct JSONParserTests {
    private func parseError(_ text: String, maxDepth: Int = 64) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(text, maxDepth: maxDepth)
            return nil
        } catch let error as JSONParseError {
            return error
        } catch {
            return nil
        }
    }

    private func parseError(bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch let error as JSONParseError {
            return error
        } catch {
            return nil
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5, true, false, null, "x"], "b": {}, "c": []} "#)
        let expected: JSONValue = ["a": [1, -2.5, true, false, nil, "x"], "b": [:], "c": []]
        #expect(value == expected)
        #expect(value.objectValue?.keys == ["a", "b", "c"])
    }

    @Test func keepsMemberOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
    }

    @Test func acceptsScalarDocumentsAndSurroundingWhitespace() throws {
        #expect(try JSONParser.parse(" \t\r\n 42 \n") == 42)
        #expect(try JSONParser.parse("\"x\"") == "x")
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse(Array("  true  ".utf8)) == true)
    }

    @Test func decodesEscapes() throws {
        let value = try JSONParser.parse(#""\" \\ \/ \b \f \n \r \t \u0041 \u00e9 \u20AC \ud83d\ude00 \u0000""#)
        #expect(value == .string("\" \\ / \u{08} \u{0C} \n \r \t A é € 😀 \u{0}"))
    }

    @Test func keepsRawNonASCII() throws {
        #expect(try JSONParser.parse("\"héllo wörld 😂\"") == "héllo wörld 😂")
        #expect(try JSONParser.parse("\"a\u{7F}b\u{2028}\"") == .string("a\u{7F}b\u{2028}"))
    }

    @Test func parsesNumbersCorrectlyRounded() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("-0", -0.0), ("1", 1), ("-1", -1), ("123456789012345", 123_456_789_012_345),
            ("9007199254740993", 9_007_199_254_740_992), ("1.5", 1.5), ("-2.25e2", -225), ("1E3", 1000),
            ("1e-7", 1e-7), ("2.8", 2.8), ("0.1", 0.1), ("1e-400", 0), ("5e-324", Double.leastNonzeroMagnitude),
            ("1.7976931348623157e308", 1.7976931348623157e308), ("123456789012345678901234567890", 1.2345678901234568e29),
            ("0.30000000000000004", 0.30000000000000004), ("4.35", 4.35), ("1E+2", 100),
        ]
        for (text, expected) in cases {
            let value = try JSONParser.parse(text)
            #expect(value == .number(expected), "\(text)")
        }
        let negativeZero = try JSONParser.parse("-0").numberValue
        #expect(negativeZero?.sign == .minus)
    }

    @Test func numbersRoundTripThroughTheirShortestForm() throws {
        var generator = SplitMix64(seed: 0x5EED)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let parsed = try JSONParser.parse(value.description).numberValue
            #expect(parsed == value, "\(value)")
        }
    }

    @Test func refusesMalformedNumbers() {
        let cases: [(String, String)] = [
            ("01", "leading zeros"), ("-01", "leading zeros"), ("00", "leading zeros"),
            ("+1", "'+'"), (".5", "digit before the decimal point"), ("1.", "digit after the decimal point"),
            ("1.e5", "digit after the decimal point"), ("1e", "digit in the exponent"), ("1e+", "digit in the exponent"),
            ("-", "digit after '-'"), ("NaN", "NaN and Infinity"), ("Infinity", "NaN and Infinity"),
            ("-Infinity", "NaN and Infinity"), ("1e400", "out of the range"), ("-1e400", "out of the range"),
            ("0x10", "after the top-level value"), ("1_000", "after the top-level value"),
        ]
        for (text, fragment) in cases {
            let error = parseError(text)
            #expect(error != nil, "\(text) should be refused")
            #expect(error?.message.contains(fragment) == true, "\(text): \(error?.message ?? "no error")")
        }
    }

    @Test func refusesDuplicateKeysNamingTheKey() throws {
        let error = try #require(parseError("{\"camera\": 1,\n \"camera\": 2}"))
        #expect(error.message == #"duplicate key "camera""#)
        #expect(error.line == 2)
        #expect(error.column == 2)
    }

    @Test func duplicateKeyIsPositionedAtTheKeyEvenAfterAMultiLineValue() throws {
        let error = try #require(parseError("{\"a\": 1, \"a\": {\n  \"b\": [\n 1\n]}}"))
        #expect(error.message == #"duplicate key "a""#)
        #expect((error.line, error.column, error.offset) == (1, 10, 9))
    }

    @Test func refusesDuplicateKeysInLargeObjects() throws {
        let members = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(throws: Never.self) { try JSONParser.parse("{\(members)}") }
        let error = try #require(parseError("{\(members), \"k17\": 0}"))
        #expect(error.message == #"duplicate key "k17""#)
    }

    @Test func lenientModeForFixturesKeepsTheLastDuplicate() throws {
        let value = try JSONParser.parse(Array(#"{"a": 1, "b": 2, "a": 3}"#.utf8), maxDepth: 64, duplicateKeys: .lastWins)
        #expect(value == ["a": 3, "b": 2])
        #expect(value.objectValue?.keys == ["a", "b"])
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(parseError(deep))
        #expect(error.message.contains("maximum depth of 64"))
        #expect(error.column == 65)
        #expect(parseError(#"{"a": {"b": 1}}"#, maxDepth: 1)?.message.contains("maximum depth of 1") == true)
        #expect(parseError(#"{"a": 1}"#, maxDepth: 1) == nil)
    }

    @Test func refusesTrailingContent() throws {
        let error = try #require(parseError("{} {}"))
        #expect(error.message == "unexpected character '{' after the top-level value")
        #expect((error.line, error.column, error.offset) == (1, 4, 3))
        #expect(parseError("[1] x") != nil)
        #expect(parseError("1 2") != nil)
    }

    @Test func refusesStructuralMistakes() {
        let cases: [(String, String)] = [
            ("", "unexpected end of input, expected a value"),
            ("   ", "unexpected end of input, expected a value"),
            ("[1,]", "trailing comma before ']'"),
            (#"{"a":1,}"#, "trailing comma before '}'"),
            ("[1 2]", "expected ',' or ']' after array element"),
            (#"{"a" 1}"#, "expected ':' after object key"),
            (#"{a: 1}"#, "expected a string key, found character 'a'"),
            (#"{"a": 1 "b": 2}"#, "expected ',' or '}' after object member"),
            ("[", "unexpected end of input, expected a value"),
            ("[1", "unexpected end of input, expected ',' or ']'"),
            ("tru", "invalid literal, expected 'true'"),
            ("nul", "invalid literal, expected 'null'"),
            ("True", "unexpected character 'T', expected a value"),
            ("'a'", "unexpected character ''', expected a value"),
            ("\"abc", "unterminated string"),
            ("\u{FEFF}{}", "unexpected character U+FEFF, expected a value"),
            ("// comment\n{}", "unexpected character '/', expected a value"),
        ]
        for (text, message) in cases {
            #expect(parseError(text)?.message == message, "\(text.debugDescription)")
        }
    }

    @Test func reportsLineAndColumn() throws {
        let text = "{\n  \"camera\": {\"fov\": 45,\n  \"lens\": 50 \"x\": 1}\n}"
        let error = try #require(parseError(text))
        #expect(error.message == "expected ',' or '}' after object member")
        #expect(error.line == 3)
        #expect(error.column == 14)
        #expect(error.offset == 39)
        #expect(error.description == "line 3, column 14: expected ',' or '}' after object member")
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let error = try #require(parseError("{\"é😀\": x}"))
        #expect(error.column == 8)
        #expect(error.offset == 11)
        let crlf = try #require(parseError("[1,\r\n 2,\r\n  ?]"))
        #expect((crlf.line, crlf.column) == (3, 3))
    }

    @Test func refusesUnescapedControlCharacters() throws {
        let error = try #require(parseError("[\"a\tb\"]"))
        #expect(error.message == "unescaped control character U+0009 in string")
        #expect((error.line, error.column) == (1, 4))
        #expect(parseError("\"a\nb\"")?.message == "unescaped control character U+000A in string")
        #expect(parseError("\"\u{0}\"")?.message == "unescaped control character U+0000 in string")
        #expect(parseError("\"\u{1F}\"") != nil)
    }

    @Test func refusesBadEscapes() {
        #expect(parseError(#""\x""#)?.message == "invalid escape sequence '\\x' in string")
        #expect(parseError(#""\u12""#)?.message == "\\u escape needs four hexadecimal digits")
        #expect(parseError(#""\u12G4""#)?.message == "\\u escape needs four hexadecimal digits")
        #expect(parseError(#""\'""#) != nil)
    }

    @Test func refusesLoneSurrogates() throws {
        let high = try #require(parseError(#"["ab\ud83d"]"#))
        #expect(high.message == "lone high surrogate \\uD83D is not followed by a low surrogate escape")
        #expect(high.column == 5)
        #expect(parseError(#""\ud83dx""#)?.message.contains("lone high surrogate") == true)
        #expect(parseError(#""\ud83d\u0041""#)?.message.contains("not a low surrogate") == true)
        #expect(parseError(#""\ude00""#)?.message == "lone low surrogate \\uDE00 without a preceding high surrogate")
    }

    @Test func refusesInvalidUTF8WithAPosition() throws {
        let invalid: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // never valid
            [0x22, 0xC3, 0x22],  // truncated sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate U+D800
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x22, 0x80, 0x22],  // stray continuation byte
        ]
        for bytes in invalid {
            let error = parseError(bytes: bytes)
            #expect(error?.message.hasPrefix("invalid UTF-8 byte 0x") == true, "\(bytes)")
            #expect(error?.offset == 1)
            #expect(error?.column == 2)
        }
        let positioned = try #require(parseError(bytes: Array("[\"é\",\n \"".utf8) + [0xFE, 0x22, 0x5D]))
        #expect(positioned.message == "invalid UTF-8 byte 0xFE")
        #expect((positioned.line, positioned.column) == (2, 3))
        #expect(parseError(bytes: [0x5B, 0xFF, 0x5D])?.message == "unexpected invalid UTF-8 byte 0xFF, expected a value")
        #expect(try JSONParser.parse([0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]) == "😀")
    }

    @Test func positionsTopLevelArrayElements() throws {
        let text = "[\n  {\"a\": 1},\n  \"é\", 3,\n\t[true]\n]"
        let elements = try JSONParser.parseArrayElements(Array(text.utf8))
        #expect(elements.map(\.value) == [["a": 1], "é", 3, [true]])
        #expect(elements.map(\.line) == [2, 3, 3, 4])
        #expect(elements.map(\.column) == [3, 3, 8, 2])
        #expect(try JSONParser.parseArrayElements(Array(" [ ] ".utf8)).isEmpty)
    }

    @Test func positionsManyElementsOnOneLine() throws {
        let text = "[" + (0..<1000).map { _ in "\"é\"" }.joined(separator: ",") + "]"
        let elements = try JSONParser.parseArrayElements(Array(text.utf8))
        #expect(elements.count == 1000)
        #expect(elements[999].column == 2 + 999 * 4)
    }

    @Test func arrayElementsRequireAnArray() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONParser.parseArrayElements(Array(" {}".utf8)) }
        #expect(error.message == "expected the top-level value to be an array, found character '{'")
        #expect(error.column == 2)
        #expect(throws: JSONParseError.self) { try JSONParser.parseArrayElements(Array("[1] 2".utf8)) }
        #expect(throws: JSONParseError(message: "trailing comma before ']'", line: 1, column: 4, offset: 3)) {
            try JSONParser.parseArrayElements(Array("[1,]".utf8))
        }
        #expect(throws: JSONParseError.self) { try JSONParser.parseArrayElements(Array("".utf8)) }
    }
}

/// A small deterministic generator so randomized checks are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
