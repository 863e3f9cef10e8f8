import Testing
@testable import AutoDirectorCore
@testable import FakeBriaServer

/// The fake Bria counts what it would bill — accepted submits, by structured prompt and seed —
/// and tells processes that are not the test over HTTP.
@Suite struct FakeBriaPaidSubmitsTests {
    @Test func acceptedSubmitsAreCountedByWhatTheyAskForAndServedAsJSON() throws {
        let state = FakeBriaState(token: "t", options: FakeBriaServer.Options())
        let token = [("api_token", "t")]
        func submit(_ prompt: String, seed: Int) -> Int {
            state.respond(
                method: "POST", path: "/v2/image/generate", headers: token,
                body: Array(#"{"structured_prompt": "\#(prompt)", "seed": \#(seed)}"#.utf8)
            ).status
        }
        #expect(submit(#"{\"a\":1}"#, seed: 1) == 202)
        #expect(submit(#"{\"a\":1}"#, seed: 2) == 202)
        #expect(submit(#"{\"a\":1}"#, seed: 1) == 202)
        state.enqueue([.serverError(502)])
        #expect(submit(#"{\"b\":1}"#, seed: 1) == 502, "refused: not billed")
        let paid = state.paid
        #expect(paid.count == 2 && paid[FakeBriaState.paidKey(prompt: #"{"a":1}"#, seed: 1)] == 2)

        let served = state.respond(method: "GET", path: "/v2/_fake/paid-submits", headers: token, body: [])
        #expect(served.status == 200)
        let json = try JSONParser.parse(served.body)
        #expect(json[FakeBriaState.paidKey(prompt: #"{"a":1}"#, seed: 1)] == 2)
        #expect(json[FakeBriaState.paidKey(prompt: #"{"a":1}"#, seed: 2)] == 1)
        #expect(state.respond(method: "GET", path: "/v2/_fake/paid-submits", headers: [], body: []).status == 401)
    }
}
