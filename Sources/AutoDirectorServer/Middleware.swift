import AutoDirectorCore
import Crypto
import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status, milliseconds. The query string and headers
/// (where a token travels) are never logged. Every error leaves here as an `APIError` with the
/// server's paths redacted: the one place all answers pass.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let redaction: PathRedaction

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let path = TextSanitizer.visible(request.uri.path, limit: 200)
        func log(_ status: Int) {
            let ms = (ContinuousClock.now - started).seconds * 1000
            logger.info("\(request.method.rawValue) \(path) \(status) \(String(format: "%.1f", ms))ms")
        }
        do {
            let response = try await next(request, context)
            log(response.status.code)
            return response
        } catch let error as APIError {
            log(error.status.code)
            throw error.redacted(redaction)
        } catch let error as any HTTPResponseError {
            log(error.status.code)
            throw error
        } catch {
            // Anything else is answered as a sentence, never a stack trace.
            let apiError = APIError.from(error)
            log(apiError.status.code)
            throw apiError.redacted(redaction)
        }
    }
}

/// With `ADMIN_TOKEN` set, every mutating request (POST, PUT, PATCH, DELETE) must carry it in
/// `X-Admin-Token` or `Authorization: Bearer`, compared in constant time; else 403.
struct AdminTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, [.post, .put, .patch, .delete].contains(request.method) else { return try await next(request, context) }
        var offered = request.headers[.init("X-Admin-Token")!]
        if offered == nil, let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            offered = String(authorization.dropFirst("Bearer ".count))
        }
        guard let offered, Self.equal(offered, token) else { throw APIError(.forbidden, "Invalid admin token") }
        return try await next(request, context)
    }

    /// Compares digests, so the time taken says nothing about how much of the token matched.
    static func equal(_ a: String, _ b: String) -> Bool {
        let (x, y) = (SHA256.hash(data: Data(a.utf8)), SHA256.hash(data: Data(b.utf8)))
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }
}

/// A body in a transfer coding other than `chunked` is refused before it is read (501, see
/// `TransferCoding`), and the connection closed: its framing cannot be trusted.
struct TransferCodingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if case .unsupported(let codings) = TransferCoding.of(request.headers[values: .transferEncoding]) {
            let named = APIError.sentence(codings.joined(separator: ", "), limit: 100)
            throw APIError(
                .notImplemented, "Transfer-Encoding \(named) is not supported: send the body as it is, with Content-Length or chunked.",
                headers: [.connection: "close"])
        }
        return try await next(request, context)
    }
}
