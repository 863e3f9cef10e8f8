import Foundation

/// Bria's prompt model (`POST /structured_prompt/generate`): the same connection, token, pacing
/// and status polling as renders; its answer is a structured prompt, not an image.
extension BriaProvider: PromptModel {
    public func structuredPrompt(for request: PromptModelRequest) async throws -> JSONObject {
        var body: JSONObject = ["sync": false]
        if let prompt = request.structuredPrompt { body["structured_prompt"] = .string(JSONWriter.compact(.object(StructuredPrompt.normalize(prompt)))) }
        if let text = request.text { body["prompt"] = .string(text) }
        if let image = request.image { body["images"] = [.string(Data(image).base64EncodedString())] }
        let http = post("/structured_prompt/generate", body)
        do {
            try await submits.acquire(sharedBy: nil)
            let (response, bytes) = try await exchange(http, limit: 4 << 20)
            let code = Int(response.status.code)
            guard (200..<300).contains(code) else {
                throw failure(code: code, reason: response.status.reasonPhrase, body: bytes, headers: response.headers, during: "prompt request")
            }
            guard let answer = try? JSONParser.parse(bytes).objectValue else {
                throw PromptModelError("Bria answered the prompt request with HTTP \(code) but not JSON (\(excerpt(bytes))).")
            }
            // A synchronous answer carries its result; an accepted one is polled like a render.
            var result = answer["result"]?.objectValue
            if result == nil {
                guard let id = answer["request_id"]?.stringValue, Self.isValidRequestID(id) else {
                    throw PromptModelError("Bria answered the prompt request without a usable request_id (\(excerpt(bytes))).")
                }
                result = try await poll(id, journal: SubmissionJournal(), pacer: nil)["result"]?.objectValue
            }
            guard let text = result?["structured_prompt"]?.stringValue, let prompt = try? JSONParser.parse(text).objectValue else {
                throw PromptModelError("Bria's prompt model answered without a structured prompt that is a JSON object.")
            }
            return prompt
        } catch let failure as RenderFailure {
            throw PromptModelError(failure.message)
        } catch let error as PromptModelError {
            throw error
        } catch {
            if error is CancellationError { throw error }
            throw PromptModelError("cannot reach Bria's prompt model: \(describe(error))")
        }
    }
}
