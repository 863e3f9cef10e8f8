import AutoDirectorCore
import Crypto
import Foundation
import Hummingbird
import Logging

/// One log line per request: method, path, status, milliseconds. The query string and headers
/// (where a token travels) are never logged.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

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
        } catch let error as any HTTPResponseError {
            log(error.status.code)
            throw error
        } catch {
            // Anything else is answered as a sentence, never a stack trace.
            let apiError = APIError.from(error)
            log(apiError.status.code)
            throw apiError
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
