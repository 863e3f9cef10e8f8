import Testing

@testable import AutoDirectorCore

@Suite("JSONDiff")
struct JSONDiffTests {
    @Test func equalValuesHaveNoChanges() throws {
        let one = try JSONParser.parse(#"{"a": 1, "b": [1, {"c": 2}]}"#)
        let two = try JSONParser.parse(#"{"b": [1.0, {"c": 2}], "a": 1}"#)
        #expect(JSONDiff.changes(from: one, to: two) == [])
        #expect(JSONDiff.changes(from: 1, to: 1) == [])
    }

    @Test func reportsNestedChangesInKeyOrder() throws {
        let old = try JSONParser.parse(#"{"seed": 1, "camera": {"fov": 45, "z": 5}, "lens": 50}"#)
        let new = try JSONParser.parse(#"{"camera": {"z": 5, "fov": 50}, "seed": 1, "color": "red"}"#)
        let changes = JSONDiff.changes(from: old, to: new)
        #expect(changes.map(\.dottedPath) == ["camera.fov", "color", "lens"])
        #expect(changes.map(\.kind) == [.changed, .added, .removed])
        #expect(changes[0].oldValue == 45)
        #expect(changes[0].newValue == 50)
        #expect(changes[1].oldValue == nil)
        #expect(changes[1].newValue == "red")
        #expect(changes[2].oldValue == 50)
        #expect(changes[2].newValue == nil)
        #expect(changes[0].pointer.description == "/camera/fov")
    }

    @Test func comparesArraysByIndex() throws {
        let old: JSONValue = ["color": ["palette": ["#000", "#111", "#222"]]]
        let new: JSONValue = ["color": ["palette": ["#000", "#999"]]]
        let changes = JSONDiff.changes(from: old, to: new)
        #expect(changes.map(\.dottedPath) == ["color.palette[1]", "color.palette[2]"])
        #expect(changes.map(\.kind) == [.changed, .removed])
        #expect(changes[1].pointer == JSONPointer(tokens: ["color", "palette", "2"]))
        let grown = JSONDiff.changes(from: [1], to: [1, 2, 3])
        #expect(grown.map(\.dottedPath) == ["[1]", "[2]"])
        #expect(grown.map(\.kind) == [.added, .added])
        #expect(grown.map(\.newValue) == [2, 3])
    }

    /// Large objects are looked up through a hash (issue 19, 12: a 10,000-member diff took a
    /// minute); keys still match scalar for scalar, whatever the members' order.
    @Test func largeObjectsDiffByKeyAsSmallOnesDo() {
        var old = JSONObject()
        var new = JSONObject()
        for index in 0..<2_000 { old[String(format: "k%04d", index)] = .number(Double(index)) }
        for index in (0..<2_000).reversed() { new[String(format: "k%04d", index)] = .number(Double(index % 10 == 0 ? -index : index)) }
        old["\u{E9}"] = "precomposed"
        new["e\u{301}"] = "decomposed"
        let changes = JSONDiff.changes(from: .object(old), to: .object(new))
        #expect(changes.filter { $0.kind == .changed }.count == 199, "k0000 stays 0")
        #expect(changes.filter { $0.kind == .changed }.allSatisfy { $0.newValue == .number(-($0.oldValue?.numberValue ?? 0)) })
        #expect(changes.filter { $0.kind == .removed }.map(\.path) == [[.key("\u{E9}")]])
        #expect(changes.filter { $0.kind == .added }.map(\.path) == [[.key("e\u{301}")]])
    }

    @Test func typeChangesAreOneChange() {
        let changes = JSONDiff.changes(from: ["a": ["b": 1]], to: ["a": [1]])
        #expect(changes == [JSONChange(path: [.key("a")], kind: .changed, oldValue: ["b": 1], newValue: [1])])
        let root = JSONDiff.changes(from: "x", to: .null)
        #expect(root == [JSONChange(path: [], kind: .changed, oldValue: "x", newValue: .null)])
        #expect(root[0].dottedPath == "")
        #expect(root[0].pointer.description == "")
    }

    @Test func visitsKeysInUTF16Order() {
        let old: JSONValue = ["\u{FB33}": 1, "b": 1, "😀": 1, "a": 1]
        let new: JSONValue = ["a": 2, "\u{FB33}": 2, "b": 2, "😀": 2]
        let keys = JSONDiff.changes(from: old, to: new).map { change -> String in
            if case .key(let key) = change.path[0] { return key }
            return ""
        }
        #expect(keys == ["a", "b", "😀", "\u{FB33}"])
    }

    @Test func dottedPathQuotesUnusualKeys() {
        #expect(JSONDiff.dottedPath([.key("camera"), .key("fov")]) == "camera.fov")
        #expect(JSONDiff.dottedPath([.key("color"), .key("palette"), .index(1)]) == "color.palette[1]")
        #expect(JSONDiff.dottedPath([.key("a.b")]) == #"["a.b"]"#)
        #expect(JSONDiff.dottedPath([.key("x"), .key("a.b"), .key("c")]) == #"x["a.b"].c"#)
        #expect(JSONDiff.dottedPath([.key("key_light-2")]) == "key_light-2")
        #expect(JSONDiff.dottedPath([.key("")]) == #"[""]"#)
        #expect(JSONDiff.dottedPath([.key("say \"hi\"")]) == #"["say \"hi\""]"#)
        #expect(JSONDiff.dottedPath([.key("é")]) == #"["é"]"#)
        #expect(JSONDiff.dottedPath([.index(0), .key("a")]) == "[0].a")
        #expect(JSONDiff.dottedPath([]) == "")
    }

    @Test func changesCanBeReplayedAsAPatch() throws {
        let old = try JSONParser.parse(#"{"a": [1, 2, 3], "b": {"c": 1, "d": 2}, "e": "x"}"#)
        let new = try JSONParser.parse(#"{"a": [1, 5], "b": {"c": 1, "f": 3}, "g": null}"#)
        // Removals of array tails are replayed from the end so earlier indices stay valid.
        let operations = JSONDiff.changes(from: old, to: new).reversed().map { change -> JSONPatchOperation in
            switch change.kind {
            case .added: return .add(path: change.pointer, value: change.newValue ?? nil)
            case .removed: return .remove(path: change.pointer)
            case .changed: return .replace(path: change.pointer, value: change.newValue ?? nil)
            }
        }
        #expect(try JSONPatch(operations: operations).apply(to: old) == new)
    }
}
