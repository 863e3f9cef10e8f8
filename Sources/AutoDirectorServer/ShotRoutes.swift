import AutoDirectorCore
import Foundation
import Hummingbird

/// Shots: list, one shot, its image, versions, compare, reviews, re-render.
extension ServiceContext {
    func shotRoutes(_ router: ServiceRoutes) {
        // `?filter=TERMS`: only the shots every term matches (`ShotFilter`, as the TUI's `/` and
        // `shots --filter`; `@me` is the service's reviewer); a term it cannot read is 422.
        router.get("/shots") { request, _ -> Response in
            let filter = request.uri.queryParameters.get("filter").map { String($0) }
            let reviewer = options.reviewer
            let shots = try await engine { engine -> [ShotSummary] in
                let all = try engine.shots()
                guard let filter, !filter.trimmingCharacters(in: .whitespaces).isEmpty else { return all }
                let query = ShotQuery(filter: filter, reviewer: reviewer, lastVisit: try engine.lastVisit(reviewer: reviewer))
                let matching = Set(try engine.shotIDs(matching: query))
                return all.filter { matching.contains($0.shot.id) }
            }
            return JSONResponse.make(["shots": .array(shots.map { summary in
                let rendered = summary.renderStatus == .rendered
                return [
                    "shot_id": .string(summary.shot.id), "hash": .string(summary.hash), "subject": .string(summary.shot.subject),
                    "status": .string(summary.renderStatus.rawValue), "review_status": .string(summary.review.rawValue),
                    "version": .int(summary.shot.latestVersion),
                    "approved_stages": .array(summary.approvedStages.map(JSONValue.string)),
                    "artifact_url": rendered ? .string(Self.artifactURL(summary.shot.id, summary.shot.latestVersion)) : .null,
                ]
            })])
        }

        router.get("/shots/:id") { _, context -> Response in
            let id = try Self.shotID(context)
            let (version, duration) = try await engine { engine in
                let version = try engine.version(of: id)
                return (version, try engine.renderDurationMS(id, version: version.number))
            }
            // The spec itself, then what the reference documents beside it.
            var object = version.spec
            object["hash"] = .string(version.hash)
            object["status"] = .string(version.renderStatus.rawValue)
            object["artifact_url"] = version.renderStatus == .rendered ? .string(Self.artifactURL(id, version.number)) : .null
            object["duration_ms"] = duration.map(JSONValue.int) ?? .null
            object["version"] = .int(version.number)
            object["seed"] = .int(Int(version.seed))
            object["review_status"] = .string(version.review.rawValue)
            return JSONResponse.make(.object(object))
        }

        router.get("/shots/:id/image") { request, context -> Response in
            let id = try Self.shotID(context)
            let number = try Self.optionalInt(request, "version")
            let (bytes, mime) = try await engine { engine -> ([UInt8], String) in
                let version = try engine.version(of: id, number: number)
                guard let artifact = try engine.artifact(for: version) else {
                    throw APIError(.notFound, "\(id) v\(version.number) has no image yet (render status: \(version.renderStatus.rawValue)).")
                }
                return (try engine.artifactBytes(artifact), artifact.mime)
            }
            return Self.image(bytes, mime: mime)
        }

        router.get("/shots/:id/versions") { _, context -> Response in
            let id = try Self.shotID(context)
            let (versions, log) = try await engine { engine in (try engine.versions(of: id), try engine.reviewLog(of: id)) }
            let history = Dictionary(grouping: log, by: \.version)
            return JSONResponse.make([
                "shot_id": .string(id),
                "versions": .array(versions.map { v in
                    [
                        "version": .int(v.number), "hash": .string(v.hash), "status": .string(v.renderStatus.rawValue),
                        "artifact_url": v.renderStatus == .rendered ? .string(Self.artifactURL(id, v.number)) : .null,
                        "created_at": .string(isoTimestamp(v.createdAt)), "parent_hash": .optional(v.parentHash),
                        "review_status": .string(v.review.rawValue), "review_note": .optional(v.reviewNote), "seed": .int(Int(v.seed)),
                        "origin": .string(v.origin.rawValue), "approved_stages": .array(v.approvedStages.map(JSONValue.string)),
                        "reviews": .array((history[v.number] ?? []).map { entry in
                            [
                                "at": .string(isoTimestamp(entry.at)), "reviewer": .string(entry.reviewer), "status": .string(entry.status.rawValue),
                                "note": .optional(entry.note), "undo": .bool(entry.undoes != nil), "stage": .optional(entry.stage),
                            ]
                        }),
                    ]
                }),
            ])
        }

        router.get("/shots/:id/compare") { request, context -> Response in
            let id = try Self.shotID(context)
            guard let from = try Self.optionalInt(request, "from") else { throw APIError.validation(["query", "from"], "Field required", type: "missing") }
            guard let to = try Self.optionalInt(request, "to") else { throw APIError.validation(["query", "to"], "Field required", type: "missing") }
            let changes = try await engine { try $0.compare(id, from, to) }
            return JSONResponse.make([
                "shot_id": .string(id), "from_version": .int(from), "to_version": .int(to),
                "changes": .array(changes.map { change in
                    [
                        "path": .string(change.dottedPath), "pointer": .string(change.pointer.description),
                        "kind": .string(change.kind.rawValue), "old_value": change.oldValue ?? .null, "new_value": change.newValue ?? .null,
                    ]
                }),
            ])
        }

        router.get("/shots/:id/explain") { request, context -> Response in
            let id = try Self.shotID(context)
            let number = try Self.optionalInt(request, "version")
            let explanation = try await engine { try $0.explain(id, version: number) }
            let version = explanation.version
            var derived = JSONObject()
            for change in explanation.differencesFromDefaults { derived[change.dottedPath] = change.newValue ?? .null }
            return JSONResponse.make([
                "shot_id": .string(id), "version": .int(version.number), "hash": .string(version.hash), "seed": .int(Int(version.seed)),
                "mode": .string(version.spec["structured_prompt"] == nil ? "internal_shot" : "structured_prompt"),
                "rules_applied": .array(version.rulesApplied.map { rule in
                    ["kind": .string(rule.kind.rawValue), "id": .optional(rule.id), "reason": .string(rule.reason)]
                }),
                "derived_parameters": .object(derived), "subject_summary": version.spec["subject"] ?? .null,
                "why_this_is_reproducible": .string(explanation.reproducibility.joined(separator: " ")),
                "source": explanation.source.map { source in
                    ["batch_id": .string(source.batchID), "file": .string(source.file), "line": .int(source.line)]
                } ?? .null,
                "provider": .string(explanation.provider), "compiled_prompt": .object(explanation.compiledPrompt),
            ])
        }

        // The review vocabulary (SPEC §17): each as the command of the same name.
        for action in ReviewAction.allCases {
            router.post("/shots/:id/\(action.rawValue)") { request, context -> Response in
                try await review(request, context, action)
            }
        }

        router.post("/shots/:id/rerender") { request, context -> Response in
            let id = try Self.shotID(context)
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["json_patch", "set"])
            let patch = try Self.patch(body)
            let result = try await engine { try $0.rerender(id, patches: [patch]) }
            await renderer.kick()
            return JSONResponse.make([
                "job_id": .string(String(result.jobID)), "shot_id": .string(id), "version": .int(result.version.number),
                "hash": .string(result.version.hash), "parent_hash": .optional(result.version.parentHash),
                "changes": .array(result.changes.map { .string(Patcher.describe($0)) }),
            ])
        }
    }

    private func review(_ request: Request, _ context: BasicRequestContext, _ action: ReviewAction) async throws -> Response {
        let id = try Self.shotID(context)
        let body = try await jsonBody(request)
        // A retake's note may be pinned on the picture, as `retake --at/--box`; an approval
        // names its stage in a project with stages, as `approve --stage`.
        try JSONResponse.only(body, action == .retake ? ["note", "pin"] : action == .approve ? ["note", "stage"] : ["note"])
        let note = try JSONResponse.string(body, "note")
        let stage = try JSONResponse.string(body, "stage")
        let pin = try Self.pin(body)
        if action.needsNote, (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw APIError.validation(["body", "note"], EngineError.noteRequired(action.status).description, type: "missing")
        }
        let reviewer = options.reviewer
        let version = try await engine { engine -> ShotVersion in
            // One shot named in the path: unknown is 404 and not planned 409, as on GET, not
            // the batch review's 400 "refused" (which is about a list of ids).
            _ = try engine.shot(id)
            _ = try engine.review(action, [id], note: note, pin: pin, stage: stage, reviewer: reviewer)
            return try engine.version(of: id)
        }
        return JSONResponse.make([
            "shot_id": .string(id), "version": .int(version.number), "review_status": .string(version.review.rawValue),
            "review_note": .optional(version.reviewNote), "reviewer": .optional(version.reviewer),
            "approved_stages": .array(version.approvedStages.map(JSONValue.string)),
        ])
    }

    /// `json_patch` as the reference sends it (a merge patch object), an RFC 6902 array, or
    /// `{"set": {"a.b": value}}` dotted assignments.
    static func patch(_ body: JSONObject) throws -> ShotPatch {
        if let set = body["set"], set != .null {
            guard case .object(let assignments) = set, !assignments.isEmpty else {
                throw APIError.validation(["body", "set"], "Input should be an object of dotted paths and values", type: "dict_type", input: set)
            }
            return .assignments(try assignments.map { member in DottedAssignment(path: try DottedPath.parse(member.key), value: member.value) })
        }
        guard let patch = body["json_patch"], patch != .null else {
            throw APIError.validation(["body", "json_patch"], "Field required", type: "missing")
        }
        switch patch {
        case .object: return .merge(patch)
        case .array: return .jsonPatch(patch)
        default: throw APIError.validation(["body", "json_patch"], "Input should be a merge patch object or a JSON Patch array", type: "dict_type", input: patch)
        }
    }

    /// An optional integer query parameter (422 when it is not one).
    static func optionalInt(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw APIError.validation(["query", name], "Input should be a valid integer", type: "int_parsing", input: .string(String(text.prefix(100))))
        }
        return value
    }
}
