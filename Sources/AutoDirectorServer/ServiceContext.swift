import AutoDirectorCore
import Foundation
import Hummingbird

/// What every route handler works with.
struct ServiceContext: Sendable {
    let runner: EngineRunner
    let renderer: BackgroundRenderer
    let options: ServerOptions
    let startedAt: ContinuousClock.Instant

    /// A path parameter that names a shot: validated before it reaches the engine.
    static func shotID(_ context: some RequestContext) throws -> String {
        let id = try context.parameters.require("id")
        guard ShotID.isValid(id) else { throw APIError(.notFound, "No shot \(TextSanitizer.quoted(id)) in this project.") }
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
