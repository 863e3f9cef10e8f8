import AutoDirectorCore
import Hummingbird
import NIOCore

/// JSON out with the project's own writer (scalar-exact), and the fields of a JSON body read
/// (`ServiceContext.jsonBody`) checked.
enum JSONResponse {
    /// Invisible characters (bidi overrides, C1 controls) are written as `\uXXXX` escapes: the
    /// same JSON, but a client printing it raw shows them instead of obeying them.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let text = TextSanitizer.escapingInvisiblesInJSON(JSONWriter.compact(value))
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Refuses fields the endpoint does not know (422 `extra_forbidden`, naming the first): a
    /// misspelt `shot_id` for `shot_ids` must not render every shot.
    static func only(_ object: JSONObject, _ allowed: Set<String>) throws {
        if let unknown = object.keys.first(where: { !allowed.contains($0) }) {
            throw APIError.validation(["body", unknown], "Extra inputs are not permitted", type: "extra_forbidden", input: object[unknown] ?? .null)
        }
    }

    /// An optional list of strings at `key` (422 when it is something else).
    static func strings(_ object: JSONObject, _ key: String) throws -> [String]? {
        guard let value = object[key], value != .null else { return nil }
        guard case .array(let items) = value else {
            throw APIError.validation(["body", key], "Input should be a valid list", type: "list_type", input: value)
        }
        return try items.enumerated().map { index, item in
            guard case .string(let text) = item else {
                throw APIError.validation(["body", key, String(index)], "Input should be a valid string", type: "string_type", input: item)
            }
            return text
        }
    }

    /// An optional string at `key` (422 when it is something else).
    static func string(_ object: JSONObject, _ key: String) throws -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let text) = value else {
            throw APIError.validation(["body", key], "Input should be a valid string", type: "string_type", input: value)
        }
        return text
    }
}
