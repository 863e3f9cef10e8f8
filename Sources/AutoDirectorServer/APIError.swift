import AutoDirectorCore
import Hummingbird

/// An error answered as the reference does: `{"detail": "<sentence>"}` with its status, or for a
/// request that fails validation 422 with `{"detail": [{"type", "loc", "msg", "input"}]}`.
/// The sentence never holds a stack trace, the Bria token or a path outside the project.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var detail: JSONValue

    init(_ status: HTTPResponse.Status, _ sentence: String) {
        self.status = status
        detail = .string(sentence)
    }

    /// 422: `location` like ["query", "batch_id"] or ["body", "shot_ids"].
    static func validation(_ location: [String], _ message: String, type: String = "value_error", input: JSONValue = .null) -> APIError {
        var error = APIError(.unprocessableContent, message)
        error.detail = .array([[
            "type": .string(type), "loc": .array(location.map(JSONValue.string)), "msg": .string(message), "input": input,
        ]])
        return error
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(["detail": detail], status: status)
    }

    /// The engine's errors as HTTP: unknown things 404, refused input 400, the rest 500 with a
    /// sentence (no internals).
    static func from(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? EngineError {
            switch error {
            case .unknownBatch, .unknownShot, .unknownVersion, .unknownJob:
                return APIError(.notFound, error.description)
            case .renderBusy:
                return APIError(.conflict, error.description)
            default:
                return APIError(.badRequest, error.description)
            }
        }
        // What the request asked for is wrong: the client can fix it.
        let refused: [any Error.Type] = [
            IngestError.self, CSVError.self, MappingError.self, PatchParseError.self, DottedPath.ParseError.self, DottedPath.SetError.self,
            JSONPatchError.self, JSONPointerError.self, JSONParseError.self, InvalidSpecError.self, PlanError.self, AssetError.self,
            PatchTooLargeError.self,
        ]
        if refused.contains(where: { type(of: error) == $0 }) {
            return APIError(.badRequest, TextSanitizer.visible(String(describing: error), limit: 1000))
        }
        return APIError(.internalServerError, "The request could not be completed: \(TextSanitizer.visible(String(describing: error), limit: 300))")
    }
}
