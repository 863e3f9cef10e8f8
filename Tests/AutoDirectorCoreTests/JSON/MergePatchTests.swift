import Testing

@testable import AutoDirectorCore

@Suite("MergePatch")
struct MergePatchTests {
    /// Every example of RFC 7386 Appendix A: original, patch, result.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfc7386AppendixA(original: String, patch: String, result: String) throws {
        let applied = MergePatch.apply(try JSONParser.parse(patch), to: try JSONParser.parse(original))
        #expect(applied == (try JSONParser.parse(result)))
        #expect(JSONWriter.compact(applied) == result)
    }

    /// The RFC 7386 §3 example; existing members keep their place and new ones are appended.
    @Test func rfc7386SectionThreeExampleKeepsOrder() throws {
        let target = try JSONParser.parse(#"""
            {
              "title": "Goodbye!",
              "author" : { "givenName" : "John", "familyName" : "Doe" },
              "tags":[ "example", "sample" ],
              "content": "This will be unchanged"
            }
            """#)
        let patch = try JSONParser.parse(#"""
            {
              "title": "Hello!",
              "phoneNumber": "+01-123-456-7890",
              "author": { "familyName": null },
              "tags": [ "example" ]
            }
            """#)
        let result = MergePatch.apply(patch, to: target)
        #expect(
            JSONWriter.compact(result)
                == #"{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}"#
        )
    }

    @Test func emptyPatchObjectLeavesObjectsAlone() throws {
        let target: JSONValue = ["camera": ["fov": 45]]
        #expect(MergePatch.apply([:], to: target) == target)
        #expect(MergePatch.apply(["camera": ["fov": 50]], to: target) == ["camera": ["fov": 50]])
    }
}
