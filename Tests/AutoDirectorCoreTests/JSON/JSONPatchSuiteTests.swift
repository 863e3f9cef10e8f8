import Foundation
import Testing

@testable import AutoDirectorCore

@Suite("JSONPatch")
struct JSONPatchSuiteTests {
    private struct Outcome {
        var passed = 0
        var disabled = 0
        var failures: [String] = []
    }

    /// Loads a file of the json-patch-tests conformance suite. The suite itself has duplicate keys
    /// in two disabled records, which the strict parser refuses, so the file is read with the
    /// fixture-only "last key wins" policy; each record's patch is then applied as given.
    private func records(_ name: String) throws -> [JSONValue] {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/json-patch-tests"))
        let bytes = [UInt8](try Data(contentsOf: url))
        let document = try JSONParser.parse(bytes, maxDepth: 64, duplicateKeys: .lastWins)
        return try #require(document.arrayValue)
    }

    private func run(_ name: String) throws -> Outcome {
        var outcome = Outcome()
        for (position, record) in try records(name).enumerated() {
            let label = "\(name) #\(position) \(record["comment"]?.stringValue ?? "")"
            if record["disabled"]?.boolValue == true {
                outcome.disabled += 1
                continue
            }
            guard let doc = record["doc"], let patchDocument = record["patch"] else {
                outcome.failures.append("\(label): record lacks doc or patch")
                continue
            }
            let result: Result<JSONValue, any Error> = Result {
                try JSONPatch(parsing: patchDocument).apply(to: doc)
            }
            switch (result, record["expected"], record["error"]) {
            case (.success(let actual), let expected?, _):
                if actual == expected {
                    outcome.passed += 1
                } else {
                    outcome.failures.append("\(label): got \(JSONWriter.compact(actual))")
                }
            case (.success(let actual), nil, _?):
                outcome.failures.append("\(label): expected an error, got \(JSONWriter.compact(actual))")
            case (.failure(let error), _, _?):
                if error is JSONPatchError {
                    outcome.passed += 1
                } else {
                    outcome.failures.append("\(label): unexpected error type \(error)")
                }
            case (.failure(let error), _, nil):
                outcome.failures.append("\(label): unexpected error \(error)")
            case (.success, nil, nil):
                outcome.passed += 1
            }
        }
        return outcome
    }

    @Test func conformanceSuite() throws {
        let outcome = try run("tests")
        #expect(outcome.failures == [])
        #expect(outcome.passed == 92)
        #expect(outcome.disabled == 3)
    }

    @Test func specExamples() throws {
        let outcome = try run("spec_tests")
        #expect(outcome.failures == [])
        #expect(outcome.passed == 16)
        #expect(outcome.disabled == 1)
    }

    /// The suite's disabled A.13 record (two "op" members) expects an error; our strict parser
    /// refuses such a patch document before any operation is read.
    @Test func duplicateOpMembersAreRefusedByTheParser() throws {
        let error = try #require(throws: JSONParseError.self) {
            try JSONParser.parse(#"[{"op": "add", "path": "/baz", "value": "qux", "op": "remove"}]"#)
        }
        #expect(error.message == #"duplicate key "op""#)
    }

    @Test func errorNamesOperationIndexAndPath() throws {
        let doc: JSONValue = ["camera": ["position": ["x": 0]]]
        let patch = try JSONPatch(parsing: [
            ["op": "test", "path": "/camera/position/x", "value": 0],
            ["op": "add", "path": "/camera/lens", "value": 50],
            ["op": "replace", "path": "/camera/fov", "value": 50],
        ])
        let error = try #require(throws: JSONPatchError.self) { try patch.apply(to: doc) }
        #expect(error.description == "operation 2 (replace /camera/fov): path does not exist")
        #expect(error.operationIndex == 2)
        #expect(error.op == "replace")
        #expect(error.path == "/camera/fov")
    }

    @Test func failuresAreAtomic() throws {
        let original: JSONValue = ["a": 1]
        let patch = try JSONPatch(parsing: [
            ["op": "add", "path": "/b", "value": 2],
            ["op": "remove", "path": "/missing"],
        ])
        #expect(throws: JSONPatchError.self) { try patch.apply(to: original) }
        #expect(original == ["a": 1])
        let good = try JSONPatch(parsing: [["op": "add", "path": "/b", "value": 2]])
        #expect(try good.apply(to: original) == ["a": 1, "b": 2])
        #expect(original == ["a": 1])
    }

    @Test func malformedOperationsAreErrors() {
        let cases: [(JSONValue, String)] = [
            (["op": "add", "path": "/a", "value": 1], ""),
            ([:], "a JSON Patch must be an array of operations, found object"),
            ([1], "operation 0: an operation must be an object, found number"),
            ([["path": "/a"]], "operation 0: missing \"op\""),
            ([["op": 1, "path": "/a"]], "operation 0: \"op\" must be a string, found number"),
            ([["op": "spam", "path": "/a"]], "operation 0: unknown op \"spam\""),
            ([["op": "add", "value": 1]], "operation 0 (add): missing \"path\""),
            ([["op": "add", "path": nil, "value": 1]], "operation 0 (add): \"path\" must be a string, found null"),
            ([["op": "add", "path": "a", "value": 1]], "operation 0 (add): invalid \"path\": JSON Pointer \"a\" must be empty or start with '/'"),
            ([["op": "add", "path": "/a"]], "operation 0 (add): missing \"value\""),
            ([["op": "replace", "path": "/a"]], "operation 0 (replace): missing \"value\""),
            ([["op": "test", "path": "/a"]], "operation 0 (test): missing \"value\""),
            ([["op": "move", "path": "/a"]], "operation 0 (move): missing \"from\""),
            ([["op": "copy", "path": "/a", "from": 3]], "operation 0 (copy): \"from\" must be a string, found number"),
        ]
        for (document, message) in cases.dropFirst() {
            do {
                _ = try JSONPatch(parsing: document)
                Issue.record("\(message) was accepted")
            } catch let error as JSONPatchError {
                #expect(error.description == message)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(throws: JSONPatchError.self) { try JSONPatch(parsing: cases[0].0) }
    }

    @Test func explicitNullValueIsAValue() throws {
        let patch = try JSONPatch(parsing: [["op": "add", "path": "/a", "value": nil]])
        #expect(try patch.apply(to: [:]) == ["a": nil])
    }

    @Test func moveIntoOwnChildIsAnError() throws {
        let patch = try JSONPatch(parsing: [["op": "move", "from": "/a", "path": "/a/b"]])
        let error = try #require(throws: JSONPatchError.self) { try patch.apply(to: ["a": ["c": 1]]) }
        #expect(error.description == "operation 0 (move /a/b): cannot move /a into one of its own children")
        let sibling = try JSONPatch(parsing: [["op": "move", "from": "/a", "path": "/ab"]])
        #expect(try sibling.apply(to: ["a": 1]) == ["ab": 1])
    }

    @Test func moveKeepsOrderOfOtherMembersAndAppendsTheMovedOne() throws {
        let patch = try JSONPatch(parsing: [["op": "move", "from": "/a", "path": "/z"]])
        let result = try patch.apply(to: ["a": 1, "b": 2, "c": 3])
        #expect(JSONWriter.compact(result) == #"{"b":2,"c":3,"z":1}"#)
        let replace = try JSONPatch(parsing: [["op": "replace", "path": "/a", "value": 9]])
        #expect(JSONWriter.compact(try replace.apply(to: ["a": 1, "b": 2])) == #"{"a":9,"b":2}"#)
    }

    @Test func testComparesWithJSONEquality() throws {
        let doc = try JSONParser.parse(#"{"a": {"x": 1, "y": [1.0, {"p": true, "q": null}]}}"#)
        let patch = try JSONPatch(parsing: [
            ["op": "test", "path": "/a", "value": ["y": [1, ["q": nil, "p": true]], "x": 1.0]]
        ])
        #expect(try patch.apply(to: doc) == doc)
        let failing = try JSONPatch(parsing: [["op": "test", "path": "/a/x", "value": "1"]])
        let error = try #require(throws: JSONPatchError.self) { try failing.apply(to: doc) }
        #expect(error.description == #"operation 0 (test /a/x): test failed: found 1, expected "1""#)
    }

    @Test func describesPathProblems() throws {
        let doc: JSONValue = ["list": [1, 2], "name": "x"]
        let cases: [(JSONValue, String)] = [
            (["op": "add", "path": "/missing/a", "value": 1], "operation 0 (add /missing/a): path does not exist: nothing at /missing"),
            (["op": "add", "path": "/list/5", "value": 1], "operation 0 (add /list/5): index 5 is out of bounds for an array of 2 elements"),
            (["op": "add", "path": "/list/01", "value": 1], "operation 0 (add /list/01): \"01\" is not a valid array index"),
            (["op": "add", "path": "/name/a", "value": 1], "operation 0 (add /name/a): cannot add to /name, which is a string"),
            (["op": "remove", "path": "/list/-"], "operation 0 (remove /list/-): \"-\" (past the end of the array) can only be the target of add"),
            (["op": "remove", "path": ""], "operation 0 (remove \"\"): cannot remove the whole document"),
            (["op": "replace", "path": "/name/x/y", "value": 1], "operation 0 (replace /name/x/y): path does not exist: /name is a string"),
            (["op": "copy", "from": "/nope", "path": "/a"], "operation 0 (copy /a): from location /nope does not exist"),
            (["op": "move", "from": "/nope", "path": "/a"], "operation 0 (move /a): from location /nope does not exist"),
            (["op": "test", "path": "/nope", "value": 1], "operation 0 (test /nope): path does not exist"),
        ]
        for (operation, message) in cases {
            let patch = try JSONPatch(parsing: [operation])
            let error = try #require(throws: JSONPatchError.self) { try patch.apply(to: doc) }
            #expect(error.description == message)
        }
    }

    @Test func operationsRoundTripThroughJSON() throws {
        let document: JSONValue = [
            ["op": "add", "path": "/a~1b", "value": [1]],
            ["op": "remove", "path": "/x"],
            ["op": "replace", "path": "", "value": nil],
            ["op": "move", "from": "/a", "path": "/b"],
            ["op": "copy", "from": "/a", "path": "/b"],
            ["op": "test", "path": "/c", "value": "v"],
        ]
        let patch = try JSONPatch(parsing: document)
        #expect(patch.operations.map(\.name) == ["add", "remove", "replace", "move", "copy", "test"])
        #expect(JSONValue.array(patch.operations.map(\.jsonValue)) == document)
        #expect(try JSONPatch(parsing: .array(patch.operations.map(\.jsonValue))).operations == patch.operations)
    }
}
