import Testing

@testable import AutoDirectorCore

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test func compactKeepsMemberOrder() {
        let value: JSONValue = ["b": 1, "a": [true, nil, "x"], "c": [:]]
        #expect(JSONWriter.compact(value) == #"{"b":1,"a":[true,null,"x"],"c":{}}"#)
    }

    @Test func prettyIndents() {
        let value: JSONValue = ["a": 1, "b": [1, 2]]
        #expect(JSONWriter.pretty(value) == "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}")
        #expect(JSONWriter.pretty(value, indent: 4) == "{\n    \"a\": 1,\n    \"b\": [\n        1,\n        2\n    ]\n}")
    }

    @Test func prettyWritesEmptyContainersInline() {
        let value: JSONValue = ["o": [:], "a": []]
        #expect(JSONWriter.pretty(value) == "{\n  \"o\": {},\n  \"a\": []\n}")
        #expect(JSONWriter.pretty([:]) == "{}")
        #expect(JSONWriter.pretty([]) == "[]")
        #expect(JSONWriter.pretty("x") == "\"x\"")
    }

    @Test func sharesEscapingAndNumbersWithCanonicalForm() throws {
        let value: JSONValue = ["s": "a\"b\n\u{1}é", "n": [1e21, 0.1, -0.0, 1e-7, 100]]
        #expect(JSONWriter.compact(value) == #"{"s":"a\"b\n\u0001é","n":[1e+21,0.1,0,1e-7,100]}"#)
    }

    @Test func writesNonFiniteNumbersAsNull() {
        #expect(JSONWriter.compact([.number(.nan), .number(.infinity)]) == "[null,null]")
    }

    @Test func outputParsesBack() throws {
        let value = try JSONParser.parse(#"{"z": {"y": [1, {"x": "\u0000"}]}, "a": -1.5e-9}"#)
        #expect(try JSONParser.parse(JSONWriter.pretty(value)) == value)
        #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
        #expect(try JSONParser.parse(JSONWriter.compact(value)).objectValue?.keys == ["z", "a"])
    }
}
