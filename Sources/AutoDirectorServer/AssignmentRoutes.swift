import AutoDirectorCore
import Hummingbird

/// Assignment (SPEC §17), as the commands `assign` and `unassign`: one shot in the path, or a
/// list in the body (one bulk action, all or nothing: 404 naming the first unknown shot).
extension ServiceContext {
    func assignmentRoutes(_ router: ServiceRoutes) {
        // The shot's audit log, as `log SHOT --json` prints it.
        router.get("/shots/:id/log") { _, context -> Response in
            let id = try Self.shotID(context)
            let events = try await engine { try $0.auditLog(of: id) }
            return JSONResponse.make(["shot_id": .string(id), "events": .array(events.map(\.json))])
        }

        router.get("/shots/:id/assignment") { _, context -> Response in
            let id = try Self.shotID(context)
            let (assignee, log) = try await engine { engine in (try engine.assignee(of: id), try engine.assignmentLog(of: id)) }
            return JSONResponse.make([
                "shot_id": .string(id), "assignee": .optional(assignee),
                "log": .array(log.map { entry in
                    ["assignee": .optional(entry.assignee), "reviewer": .string(entry.reviewer), "at": .string(isoTimestamp(entry.at))]
                }),
            ])
        }

        // {"to": NAME}
        router.post("/shots/:id/assign") { request, context -> Response in
            let id = try Self.shotID(context)
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["to"])
            return try await assign([id], to: try Self.assignee(body))
        }

        router.post("/shots/:id/unassign") { _, context -> Response in
            try await assign([try Self.shotID(context)], to: nil)
        }

        // {"shot_ids": [...], "to": NAME}
        router.post("/assign") { request, _ -> Response in
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["shot_ids", "to"])
            return try await assign(try Self.listedShots(body), to: try Self.assignee(body))
        }

        router.post("/unassign") { request, _ -> Response in
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["shot_ids"])
            return try await assign(try Self.listedShots(body), to: nil)
        }
    }

    private func assign(_ ids: [String], to assignee: String?) async throws -> Response {
        let reviewer = options.reviewer
        let outcome = try await engine { engine in
            if let assignee { return try engine.assign(ids, to: assignee, reviewer: reviewer) }
            return try engine.unassign(ids, reviewer: reviewer)
        }
        return JSONResponse.make([
            "assignee": .optional(assignee?.trimmingCharacters(in: .whitespacesAndNewlines)),
            "changed": .array(outcome.changed.map(JSONValue.string)), "unchanged": .array(outcome.unchanged.map(JSONValue.string)),
        ])
    }

    private static func assignee(_ body: JSONObject) throws -> String {
        guard let name = try JSONResponse.string(body, "to") else { throw APIError.validation(["body", "to"], "Field required", type: "missing") }
        return name
    }

    /// A required, non-empty `shot_ids`.
    private static func listedShots(_ body: JSONObject) throws -> [String] {
        let ids = try shotIDs(body)
        guard !ids.isEmpty else { throw APIError.validation(["body", "shot_ids"], "Name at least one shot", type: "missing") }
        return ids
    }
}
