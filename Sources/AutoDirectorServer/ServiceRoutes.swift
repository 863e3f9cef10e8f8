import Hummingbird

/// The service's router, with the methods of each path written down as routes are added, so
/// that another method on a path the service knows is answered 405 with `Allow` (RFC 9110
/// §15.5.6) instead of 404 — the path exists, only the method is wrong.
final class ServiceRoutes {
    let router: Router<BasicRequestContext>
    private var methods: [String: Set<HTTPRequest.Method>] = [:]
    private var order: [String] = []

    init(_ router: Router<BasicRequestContext>) {
        self.router = router
    }

    func get(_ path: String, use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) {
        add(path, .get, handler)
    }

    func post(_ path: String, use handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) {
        add(path, .post, handler)
    }

    private func add(_ path: String, _ method: HTTPRequest.Method, _ handler: @Sendable @escaping (Request, BasicRequestContext) async throws -> Response) {
        router.on(RouterPath(path), method: method, use: handler)
        if methods[path] == nil { order.append(path) }
        methods[path, default: []].insert(method)
    }

    /// The methods a client may send that no route of a path takes.
    static let otherMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace]

    /// Answers every other method on each known path with 405; call after the last route.
    func refuseOtherMethods() {
        for path in order {
            let allowed = methods[path] ?? []
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            for method in Self.otherMethods where !allowed.contains(method) {
                router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw APIError(
                        .methodNotAllowed, "\(request.method.rawValue) is not allowed on \(path): use \(allow).", headers: [.allow: allow])
                }
            }
        }
    }
}
