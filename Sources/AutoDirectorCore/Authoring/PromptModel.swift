/// What Bria's prompt model is asked (`POST /structured_prompt/generate`, SPEC §18): words alone,
/// a picture (with words), or a structured prompt to refine with a note.
public struct PromptModelRequest: Sendable {
    public var structuredPrompt: JSONObject?
    public var text: String?
    /// The picture's file bytes (PNG, JPEG or WEBP).
    public var image: [UInt8]?

    public init(structuredPrompt: JSONObject? = nil, text: String? = nil, image: [UInt8]? = nil) {
        (self.structuredPrompt, self.text, self.image) = (structuredPrompt, text, image)
    }
}

/// The model that turns words or a picture into a FIBO structured prompt. Its answer is not
/// deterministic on Bria's side; that is why it is frozen into a version's spec once accepted.
public protocol PromptModel: Sendable {
    /// The structured prompt the model answers, as an object (not yet validated).
    func structuredPrompt(for request: PromptModelRequest) async throws -> JSONObject
}

/// The prompt model could not answer; nothing was stored.
public struct PromptModelError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
