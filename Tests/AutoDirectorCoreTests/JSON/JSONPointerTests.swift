import Testing

@testable import AutoDirectorCore

@Suite("JSONPointer")
struct JSONPointerTests {
    /// RFC 6901 §5.
    private let document: JSONValue = [
        "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8,
    ]

    @Test func rfc6901Examples() throws {
        let cases: [(String, JSONValue)] = [
            ("", document), ("/foo", ["bar", "baz"]), ("/foo/0", "bar"), ("/", 0), ("/a~1b", 1), ("/c%d", 2),
            ("/e^f", 3), ("/g|h", 4), ("/i\\j", 5), ("/k\"l", 6), ("/ ", 7), ("/m~0n", 8),
        ]
        for (text, expected) in cases {
            #expect(try JSONPointer(parsing: text).resolve(in: document) == expected, "\(text)")
        }
    }

    @Test func parsesAndEncodesTokens() throws {
        #expect(try JSONPointer(parsing: "").tokens == [])
        #expect(try JSONPointer(parsing: "/").tokens == [""])
        #expect(try JSONPointer(parsing: "/a//b/").tokens == ["a", "", "b", ""])
        #expect(try JSONPointer(parsing: "/~01/~10").tokens == ["~1", "/0"])
        #expect(try JSONPointer(parsing: "/é/😀").tokens == ["é", "😀"])
        #expect(JSONPointer(tokens: ["a/b", "m~n", "~1"]).description == "/a~1b/m~0n/~01")
        #expect(JSONPointer(tokens: []).description == "")
        #expect(JSONPointer(tokens: [""]).description == "/")
        for text in ["", "/", "/a~1b/m~0n", "/~01", "/camera/position/x", "/0/-"] {
            #expect(try JSONPointer(parsing: text).description == text)
        }
    }

    @Test func refusesMalformedPointers() {
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "foo") }
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "/a~2") }
        #expect(throws: JSONPointerError.self) { try JSONPointer(parsing: "/a~") }
        #expect(throws: JSONPointerError(message: #"JSON Pointer "foo" must be empty or start with '/'"#)) {
            try JSONPointer(parsing: "foo")
        }
    }

    @Test func arrayIndexesFollowTheGrammar() {
        let array: JSONValue = ["a", "b", "c"]
        #expect(JSONPointer(tokens: ["0"]).resolve(in: array) == "a")
        #expect(JSONPointer(tokens: ["2"]).resolve(in: array) == "c")
        #expect(JSONPointer(tokens: ["3"]).resolve(in: array) == nil)
        #expect(JSONPointer(tokens: ["01"]).resolve(in: array) == nil)
        #expect(JSONPointer(tokens: ["-"]).resolve(in: array) == nil)
        #expect(JSONPointer(tokens: ["1e0"]).resolve(in: array) == nil)
        #expect(JSONPointer(tokens: ["-1"]).resolve(in: array) == nil)
        #expect(JSONPointer(tokens: ["99999999999999999999999"]).resolve(in: array) == nil)
        #expect(JSONPointer.arrayIndex("0") == 0)
        #expect(JSONPointer.arrayIndex("10") == 10)
        #expect(JSONPointer.arrayIndex("") == nil)
        #expect(JSONPointer.arrayIndex("+1") == nil)
    }

    @Test func resolvingThroughScalarsOrMissingMembersFails() {
        let value: JSONValue = ["a": 1, "b": ["c": nil]]
        #expect(JSONPointer(tokens: ["a", "x"]).resolve(in: value) == nil)
        #expect(JSONPointer(tokens: ["z"]).resolve(in: value) == nil)
        #expect(JSONPointer(tokens: ["b", "c"]).resolve(in: value) == .null)
    }

    @Test func parentAndAppending() {
        let pointer = JSONPointer(tokens: ["camera", "fov"])
        #expect(pointer.parent == JSONPointer(tokens: ["camera"]))
        #expect(pointer.parent?.parent == JSONPointer(tokens: []))
        #expect(JSONPointer(tokens: []).parent == nil)
        #expect(JSONPointer(tokens: ["camera"]).appending("fov") == pointer)
        #expect(pointer.appending("a/b").description == "/camera/fov/a~1b")
    }
}
