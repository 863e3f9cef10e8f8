import AutoDirectorCore
import Hummingbird

/// An error answered as the reference does: `{"detail": "<sentence>"}` with its status, or for a
/// request that fails validation 422 with `{"detail": [{"type", "loc", "msg", "input"}]}`.
/// The sentence never holds a stack trace, the Bria token or a path outside the project
/// (`PathRedaction`). It is plain text: the JSON writer escapes what JSON must, so a message of
/// several lines reads as lines (`\n`), not as a terminal's escapes (`\u{A}`).
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var detail: JSONValue
    var headers: HTTPFields

    init(_ status: HTTPResponse.Status, _ sentence: String, headers: HTTPFields = [:]) {
        self.status = status
        detail = .string(sentence)
        self.headers = headers
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
        var response = JSONResponse.make(["detail": detail], status: status)
        for field in headers { response.headers.append(field) }
        // A HEAD answer has headers only.
        if request.method == .head { response.body = ResponseBody() }
        return response
    }

    /// The engine's errors as HTTP, by the kind of the caller's mistake (`CallerError`): unknown
    /// things 404, what the project's state does not allow 409, input the engine's validation
    /// refuses 422, an upload that cannot be read as a batch 400 (the reference's answer to a CSV
    /// without data rows); a request cancelled by the stop 503; the rest 500 with a sentence (no
    /// internals). Engine refusals keep the reference's `{"detail": "<sentence>"}`; the list form
    /// is for requests whose shape is wrong (`validation`).
    static func from(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if error is CancellationError {
            // Still running when the shutdown grace ran out (the answer rarely reaches the client).
            return APIError(
                .serviceUnavailable, "The service is stopping: the request was cancelled after the shutdown grace (--shutdown-grace).",
                headers: [.connection: "close"])
        }
        if case EngineError.shotNotPlanned(let id) = error {
            return APIError(.conflict, "Shot \(id) is ingested but not planned yet: plan its batch (POST /plan?batch_id=…) first.")
        }
        // The project cannot be written here: reads work, this write cannot, whatever it says.
        if let error = error as? StoreError, case .readOnly = error {
            return APIError(.conflict, "The project is read-only on this machine: reads work, but this request writes. Nothing was changed.")
        }
        // A shared project's database is gone for now (restarting, the network): the service
        // keeps running and answers again when it is back; a client may retry.
        if let error = error as? StoreError, case .unreachable = error {
            return APIError(.serviceUnavailable, sentence(error.description, limit: 1000), headers: [.retryAfter: "5"])
        }
        // The caller's mistake, by its kind; anything else is the service's failure.
        if let error = error as? any CallerError {
            switch error.callerKind {
            case .notFound: return APIError(.notFound, sentence(error.description, limit: 1000))
            case .conflict: return APIError(.conflict, sentence(error.description, limit: 1000))
            case .invalid: return APIError(.unprocessableContent, sentence(error.description, limit: 1000))
            case .malformed: return APIError(.badRequest, sentence(error.description, limit: 1000))
            }
        }
        var answer = APIError(.internalServerError, "The request could not be completed: \(sentence(String(describing: error), limit: 300))")
        answer.isInternal = true
        return answer
    }

    /// An internal error's text may name any file of the machine, not only the project's.
    var isInternal = false

    /// `text` cut after `limit` characters (with "…").
    static func sentence(_ text: String, limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// A value the client sent, quoted and cut to a readable length.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        "\"" + sentence(text, limit: limit) + "\""
    }

    /// This error with the server's paths written as a client knows them.
    func redacted(_ redaction: PathRedaction) -> APIError {
        var copy = self
        copy.detail = redact(detail, redaction)
        return copy
    }

    private func redact(_ value: JSONValue, _ redaction: PathRedaction) -> JSONValue {
        switch value {
        case .string(let text): return .string(redaction.apply(text, anyPath: isInternal))
        case .array(let items): return .array(items.map { redact($0, redaction) })
        case .object(let object):
            var copy = object
            for member in object where member.key == "msg" { copy[member.key] = redact(member.value, redaction) }
            return .object(copy)
        default: return value
        }
    }
}
