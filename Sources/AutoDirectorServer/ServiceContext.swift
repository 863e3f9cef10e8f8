import AutoDirectorCore
import Foundation
import Hummingbird
import NIOCore

/// What every route handler works with.
struct ServiceContext: Sendable {
    let runner: EngineRunner
    let renderer: BackgroundRenderer
    /// The one provider of the service's renders (`ServiceProvider`).
    let provider: ServiceProvider
    let options: ServerOptions
    let startedAt: ContinuousClock.Instant
    let bodies: BodyReader
    let parses: ParseGate

    init(runner: EngineRunner, renderer: BackgroundRenderer, provider: ServiceProvider, options: ServerOptions, startedAt: ContinuousClock.Instant) {
        self.runner = runner
        self.renderer = renderer
        self.provider = provider
        self.options = options
        self.startedAt = startedAt
        bodies = BodyReader(timeout: options.bodyTimeout)
        parses = ParseGate(slots: options.jsonParses)
    }

    /// A path parameter that names a shot: validated before it reaches the engine.
    static func shotID(_ context: some RequestContext) throws -> String {
        let id = try context.parameters.require("id")
        guard ShotID.isValid(id) else { throw APIError(.notFound, "No shot \(APIError.quoted(id)) in this project.") }
        return id
    }

    /// Where the service serves a version's image.
    static func artifactURL(_ shotID: String, _ version: Int) -> String {
        "/shots/\(shotID)/image?version=\(version)"
    }

    /// An image as served: its bytes never change under a URL (artifacts are content-addressed).
    static func image(_ bytes: [UInt8], mime: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: mime, .cacheControl: "private, max-age=31536000, immutable"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The request's JSON body as an object (an empty body is `{}`), read within
    /// `--body-timeout` and `--max-json-kb` and parsed in one of `--json-parses` slots. Not UTF-8:
    /// 400; not JSON, or not an object: 422 as the reference answers it.
    func jsonBody(_ request: Request) async throws -> JSONObject {
        let limit = options.maxJSONBytes
        let tooLarge = APIError(
            .contentTooLarge, "The JSON body is larger than \(limit / 1024) KiB (--max-json-kb, AUTODIRECTOR_MAX_JSON_KB); send less in one request.")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let buffer: ByteBuffer
        do { buffer = try await bodies.read(request.body) { try await $0.collect(upTo: limit) } } catch is NIOTooManyBytesError {
            throw tooLarge
        }
        let bytes = [UInt8](buffer: buffer)
        let decoded = try await parses.run(waiting: options.jsonParseWait) { Result { () throws(JSONBodyDecoding.Failure) in try JSONBodyDecoding.object(bytes) } }
        guard let decoded else {
            throw APIError(
                .serviceUnavailable, "The service is busy reading other JSON bodies (--json-parses \(options.jsonParses)); try again in a second.",
                headers: [.retryAfter: "1"])
        }
        switch decoded {
        case .success(let object):
            return object
        case .failure(.notUTF8(let offset)):
            throw APIError(.badRequest, "The JSON body is not valid UTF-8 (byte \(offset) is not part of a UTF-8 sequence); send it as UTF-8.")
        case .failure(.notJSON(let error)):
            throw APIError.validation(["body"], "JSON decode error: \(APIError.sentence(error.description, limit: 300))", type: "json_invalid")
        case .failure(.notObject(let value)):
            throw APIError.validation(["body"], "Input should be a valid dictionary", type: "dict_type", input: value)
        }
    }

    /// Runs a blocking engine call off the cooperative pool, its errors as HTTP errors.
    func engine<T: Sendable>(_ body: @escaping @Sendable (Engine) throws -> T) async throws -> T {
        do { return try await runner.run(body) } catch { throw APIError.from(error) }
    }
}

extension JSONValue {
    static func int(_ value: Int) -> JSONValue { .number(Double(value)) }
    static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}

/// UTC, to the second, as the reference's `created_at`.
func isoTimestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}
