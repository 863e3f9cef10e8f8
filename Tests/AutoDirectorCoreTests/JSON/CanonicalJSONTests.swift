import Testing

@testable import AutoDirectorCore

@Suite("CanonicalJSON")
struct CanonicalJSONTests {
    private func canonical(_ text: String) throws -> String {
        try CanonicalJSON.string(JSONParser.parse(text))
    }

    @Test func rfc8785NumberExamples() throws {
        let cases: [(String, String)] = [
            ("333333333.33333329", "333333333.3333333"), ("1E30", "1e+30"), ("0.000001", "0.000001"),
            ("1e-7", "1e-7"), ("-0", "0"), ("4.50", "4.5"), ("2e-3", "0.002"), ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"), ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"), ("9007199254740993", "9007199254740992"),
            ("0.000000000000000000000000001", "1e-27"), ("1.5e-7", "1.5e-7"), ("-1.5e-7", "-1.5e-7"),
            ("123e-20", "1.23e-18"), ("1e22", "1e+22"), ("0.1", "0.1"), ("-2.8", "-2.8"), ("100", "100"),
        ]
        for (input, expected) in cases {
            #expect(try canonical(input) == expected, "\(input)")
        }
    }

    /// RFC 8785 Appendix B: IEEE-754 bit patterns and their required serialization.
    @Test func rfc8785AppendixBNumbers() {
        let cases: [(UInt64, String)] = [
            (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"),
            (0x0000_0000_0000_0001, "5e-324"), (0x8000_0000_0000_0001, "-5e-324"),
            (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"), (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"),
            (0x4340_0000_0000_0000, "9007199254740992"), (0xC340_0000_0000_0000, "-9007199254740992"),
            (0x4430_0000_0000_0000, "295147905179352830000"),
            (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
            (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"),
            (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"), (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"),
            (0x444B_1AE4_D6E2_EF50, "1e+21"),
            (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
            (0x3EB0_C6F7_A0B5_ED8E, "0.0000010000000000000002"),
            (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
            (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
            (0x41B3_DE43_5555_5557, "333333333.33333343"),
            (0xBECB_F647_612F_3696, "-0.0000033333333333333333"), (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
        ]
        for (bits, expected) in cases {
            #expect(CanonicalJSON.formatNumber(Double(bitPattern: bits)) == expected, "\(String(bits, radix: 16))")
        }
    }

    @Test func formatsNonFiniteNumbersLikeECMAScript() {
        #expect(CanonicalJSON.formatNumber(.nan) == "NaN")
        #expect(CanonicalJSON.formatNumber(.infinity) == "Infinity")
        #expect(CanonicalJSON.formatNumber(-.infinity) == "-Infinity")
    }

    @Test func refusesNonFiniteNumbersNamingWhere() throws {
        let value: JSONValue = ["camera": ["fov": .number(.nan)]]
        let error = try #require(throws: CanonicalJSONError.self) { try CanonicalJSON.bytes(value) }
        #expect(error.pointer == JSONPointer(tokens: ["camera", "fov"]))
        #expect(error.description == "cannot canonicalize NaN at /camera/fov: JSON numbers must be finite")
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.string(.array([1, .number(-.infinity)])) }
        #expect(throws: CanonicalJSONError.self) { try CanonicalJSON.string(.number(.infinity)) }
    }

    /// The short-decimal fast path must agree with the general `Double.description` path.
    @Test func fastNumberPathAgreesWithDescriptionPath() {
        var generator = SplitMix64(seed: 42)
        var samples: [Double] = []
        for _ in 0..<20_000 {
            samples.append(Double(bitPattern: generator.next()))
            let decimals = Int(generator.next() % 12)
            let mantissa = Double(generator.next() % 10_000_000_000)
            var scale = 1.0
            for _ in 0..<decimals { scale *= 10 }
            samples.append(mantissa / scale)
            samples.append(Double(generator.next() % 1_000_000) / 1000)
            samples.append(Double.random(in: -1e6...1e6, using: &generator))
            samples.append(Double.random(in: 0..<1e-5, using: &generator))
        }
        var mismatches: [String] = []
        for sample in samples where sample.isFinite && sample != 0 {
            let fast = CanonicalJSON.formatNumber(sample.magnitude)
            var sink = ByteSink(capacity: 32)
            JSONTextEncoding.writeViaDescription(sample.magnitude, into: &sink)
            let slow = sink.makeString()
            if fast != slow { mismatches.append("\(sample): \(fast) vs \(slow)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func formattedNumbersReadBackExactly() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let text = CanonicalJSON.formatNumber(value)
            #expect(try JSONParser.parse(text) == .number(value), "\(value) -> \(text)")
        }
    }

    @Test func rfc8785KeyOrdering() throws {
        let input = #"""
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """#
        let output = try canonical(input)
        let reparsed = try JSONParser.parse(output)
        #expect(reparsed.objectValue?.keys == ["\r", "1", "\u{80}", "\u{F6}", "\u{20AC}", "\u{1F600}", "\u{FB33}"])
        #expect(output.hasPrefix(#"{"\r":"Carriage Return","1":"One","\#u{80}":"Control","ö":"#))
    }

    @Test func keyOrderIsUTF16NotScalarOrder() {
        // U+FB33 > U+1F600 by scalar value but its UTF-16 unit 0xFB33 > 0xD83D, so the emoji sorts first.
        #expect(JSONKeyOrder.precedes("\u{1F600}", "\u{FB33}"))
        #expect(!JSONKeyOrder.precedes("\u{FB33}", "\u{1F600}"))
        #expect(JSONKeyOrder.precedes("\r", "1"))
        #expect(JSONKeyOrder.precedes("1", "é"))
        #expect(JSONKeyOrder.precedes("é", "😂"))
        #expect(JSONKeyOrder.precedes("a", "ab"))
        #expect(!JSONKeyOrder.precedes("ab", "ab"))
        #expect(JSONKeyOrder.precedes("x\u{E000}", "x\u{FFFF}"))
        #expect(JSONKeyOrder.precedes("x\u{1F600}", "x\u{E000}"))
        #expect(JSONKeyOrder.precedes("\u{10000}", "\u{10FFFF}"))
        // Swift's String ordering treats canonically equivalent strings as equal; UTF-16 does not.
        #expect(JSONKeyOrder.precedes("e\u{301}", "\u{E9}"))
    }

    @Test func keyOrderMatchesUTF16ArrayComparison() {
        let alphabet: [Character] = ["a", "b", "\r", "1", "é", "€", "😀", "\u{FB33}", "\u{E000}", "\u{10000}", "~", "\u{7F}"]
        var generator = SplitMix64(seed: 99)
        for _ in 0..<5_000 {
            let left = String((0..<Int(generator.next() % 4)).map { _ in alphabet[Int(generator.next() % 12)] })
            let right = String((0..<Int(generator.next() % 4)).map { _ in alphabet[Int(generator.next() % 12)] })
            let expected = Array(left.utf16).lexicographicallyPrecedes(Array(right.utf16))
            #expect(JSONKeyOrder.precedes(left, right) == expected, "\(left.debugDescription) vs \(right.debugDescription)")
        }
    }

    /// The optimized writer (8-byte key prefixes, cached short keys, SWAR escaping) against a
    /// deliberately naive JCS written from the RFC text, on random objects whose keys mix ASCII,
    /// characters that need escaping, BMP characters above U+E000 and astral characters, at
    /// lengths around the 8- and 16-byte boundaries.
    @Test func matchesANaiveImplementationOnRandomDocuments() throws {
        var generator = SplitMix64(seed: 2024)
        for _ in 0..<1_000 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let fast = try CanonicalJSON.string(value)
            #expect(fast == Self.naiveCanonical(value), "\(JSONWriter.compact(value))")
            #expect(try JSONParser.parse(fast) == value)
        }
    }

    private static let pieces: [String] = [
        "a", "b", "z", "A", "0", "_", "~", "\u{7F}", "\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "ö", "€", "\u{E000}",
        "\u{FB33}", "\u{FFFD}", "😀", "😂", "\u{10000}", "\u{2028}", "key", "position", "intensity",
    ]

    private static func randomString(using generator: inout SplitMix64) -> String {
        let count = Int(generator.next() % 12)
        return (0..<count).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
    }

    private static func randomValue(depth: Int, using generator: inout SplitMix64) -> JSONValue {
        switch generator.next() % (depth > 3 ? 4 : 6) {
        case 0: return .string(randomString(using: &generator))
        case 1: return .number(Double(Int64(bitPattern: generator.next()) % 1_000_000) / 100)
        case 2: return generator.next() % 2 == 0 ? .bool(true) : .null
        case 3: return .number(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF))
        case 4:
            let count = Int(generator.next() % 5)
            return .array((0..<count).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var object = JSONObject()
            for _ in 0..<Int(generator.next() % (depth == 0 ? 30 : 8)) {
                object[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(object)
        }
    }

    private static func naiveCanonical(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return CanonicalJSON.formatNumber(number)
        case .string(let string): return naiveString(string)
        case .array(let elements): return "[" + elements.map(naiveCanonical).joined(separator: ",") + "]"
        case .object(let object):
            let members = object.members.sorted { Array($0.key.utf16).lexicographicallyPrecedes(Array($1.key.utf16)) }
            return "{" + members.map { naiveString($0.key) + ":" + naiveCanonical($0.value) }.joined(separator: ",") + "}"
        }
    }

    private static func naiveString(_ string: String) -> String {
        var text = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{8}": text += "\\b"
            case "\u{C}": text += "\\f"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{0}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    @Test func rfc8785Sample() throws {
        let input = #"""
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(try canonical(input) == expected)
    }

    @Test func escapesOnlyWhatJCSRequires() throws {
        let value: JSONValue = .string("\"\\\u{8}\u{C}\n\r\t\u{0}\u{1F}\u{7F}/é\u{2028}😀")
        #expect(try CanonicalJSON.string(value) == "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\u{7F}/é\u{2028}😀\"")
    }

    @Test func sortsNestedObjectsAndKeepsArrayOrder() throws {
        let value: JSONValue = ["b": [3, 1, ["z": 1, "y": 2]], "a": ["d": true, "c": nil]]
        #expect(try CanonicalJSON.string(value) == #"{"a":{"c":null,"d":true},"b":[3,1,{"y":2,"z":1}]}"#)
        #expect(try CanonicalJSON.string([:]) == "{}")
        #expect(try CanonicalJSON.string([]) == "[]")
    }

    @Test func sortsLargeObjects() throws {
        let keys = (0..<60).map { "key\(59 - $0)" }
        let object = JSONValue.object(JSONObject(keys.map { JSONMember($0, .number(1)) }))
        let reparsed = try JSONParser.parse(CanonicalJSON.bytes(object))
        #expect(reparsed.objectValue?.keys == keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) })
    }

    @Test func equalValuesHaveEqualBytes() throws {
        let one = try JSONParser.parse(#"{"camera": {"fov": 45.0, "z": 5}, "seed": 1e3}"#)
        let two = try JSONParser.parse(#"{"seed": 1000, "camera": {"z": 5.00, "fov": 45}}"#)
        #expect(try CanonicalJSON.bytes(one) == CanonicalJSON.bytes(two))
    }

    @Test func writeAppendsToAnExistingBuffer() throws {
        var buffer = Array("prefix:".utf8)
        try CanonicalJSON.write(["b": 1, "a": "x"], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"a":"x","b":1}"#)
    }

    @Test func formatsIntegersWithoutExponentUpTo1e21() {
        #expect(CanonicalJSON.formatNumber(1) == "1")
        #expect(CanonicalJSON.formatNumber(-42) == "-42")
        #expect(CanonicalJSON.formatNumber(123_456_789) == "123456789")
        #expect(CanonicalJSON.formatNumber(9_007_199_254_740_991) == "9007199254740991")
        #expect(CanonicalJSON.formatNumber(1e16) == "10000000000000000")
        #expect(CanonicalJSON.formatNumber(1.2345e20) == "123450000000000000000")
        #expect(CanonicalJSON.formatNumber(1e21) == "1e+21")
        #expect(CanonicalJSON.formatNumber(-0.0) == "0")
        #expect(CanonicalJSON.formatNumber(0.5) == "0.5")
        #expect(CanonicalJSON.formatNumber(1234.5678) == "1234.5678")
    }
}
