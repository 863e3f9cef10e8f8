import AutoDirectorCore
import Hummingbird
import NIOCore

/// JSON in and out with the project's own parser and writer (depth-limited, scalar-exact).
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let text = JSONWriter.compact(value)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The request's body as a JSON object; an empty body is `{}`. A body that is not JSON, or
    /// not an object, is 422 as the reference answers it.
    static func object(_ request: Request, limit: Int) async throws -> JSONObject {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limit) } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(limit) bytes.")
        }
        if buffer.readableBytes == 0 { return [:] }
        let text = String(buffer: buffer)
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            throw APIError.validation(["body"], "JSON decode error: \(TextSanitizer.visible(String(describing: error), limit: 300))", type: "json_invalid")
        }
        guard case .object(let object) = value else {
            throw APIError.validation(["body"], "Input should be a valid dictionary", type: "dict_type", input: value)
        }
        return object
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
