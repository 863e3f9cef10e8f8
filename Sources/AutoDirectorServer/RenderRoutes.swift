import AutoDirectorCore
import Foundation
import Hummingbird

/// Renders and jobs: queue in the background, render and wait, poll a job.
extension ServiceContext {
    func renderRoutes(_ router: ServiceRoutes) {
        router.post("/render") { request, _ -> Response in
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["shot_ids"])
            let ids = try Self.shotIDs(body)
            let job = try await engine { try $0.enqueueRender(shots: ids) }
            // Nothing new to queue: the shots may still wait in a job another process queued.
            let waiting = job == nil ? try await engine { try $0.waitingJobs(shots: ids) } : []
            if job != nil || !waiting.isEmpty { await renderer.kick() }
            var total = 0
            if let job { total = try await engine { try $0.job(job).total } }
            let message: String
            if job != nil {
                message = "Rendering in the background."
            } else if let first = waiting.first {
                message = "Already queued in job \(first)\(waiting.count > 1 ? " and \(waiting.count - 1) more" : ""); rendering in the background."
            } else {
                message = "Every shot asked for is rendered already."
            }
            return JSONResponse.make([
                "job_id": (job ?? waiting.first).map { .string(String($0)) } ?? .null, "queued": .int(total),
                "message": .string(message),
            ])
        }

        router.post("/render/sync") { request, _ -> Response in
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["shot_ids"])
            let ids = try Self.shotIDs(body)
            let job = try await engine { try $0.enqueueRender(shots: ids) }
            // Shots waiting in jobs queued elsewhere are waited for too.
            let waiting = job == nil ? try await engine { try $0.waitingJobs(shots: ids) } : []
            if job != nil || !waiting.isEmpty { await renderer.kick() }
            for id in (job.map { [$0] } ?? []) + waiting {
                // Not past the shutdown grace: the job pauses at the stop, the request ends.
                try await Outcome.abandoningOnCancel { await renderer.wait(for: id) }
            }
            let items = try await engine { engine -> [JSONValue] in
                let inJob = try ((job.map { [$0] } ?? []) + waiting).flatMap { try engine.jobItems($0) }
                let byShot = Dictionary(inJob.map { ($0.shotID, $0) }, uniquingKeysWith: { _, last in last })
                let shots = ids.isEmpty ? try engine.shots().map(\.shot.id) : ids
                return try shots.map { id in
                    let version = try engine.version(of: id)
                    let item = byShot[id]
                    return Self.result(id, version: version, item: item)
                }
            }
            return JSONResponse.make(["renders": .array(items), "job_id": job.map { .string(String($0)) } ?? .null])
        }

        router.post("/render/shot/sync") { request, _ -> Response in
            let body = try await jsonBody(request)
            try JSONResponse.only(body, ["shot", "preset_id"])
            guard case .object(let shot)? = body["shot"] else {
                throw APIError.validation(["body", "shot"], "Field required: a complete shot object", type: "missing", input: body["shot"] ?? .null)
            }
            guard let id = shot["shot_id"]?.stringValue, ShotID.isValid(id) else {
                throw APIError(.badRequest, "The shot needs a valid shot_id (letters, digits, '.', '_' or '-').")
            }
            let preset = try JSONResponse.string(body, "preset_id")
            let prepared = try await engine { engine in
                // The reference answers 400 for a shot without a required key: the shot is this
                // request's own document, not an edit the engine refuses.
                do { return try engine.prepareRender(shot, preset: preset) } catch let invalid as InvalidSpecError {
                    throw APIError(.badRequest, APIError.sentence(invalid.description, limit: 1000))
                }
            }
            let result: SingleRender
            if let cached = prepared.cachedResult {
                result = cached
            } else {
                // `FIBO_BUDGET`: a call that would pass what today has left is refused (409).
                if let daily = options.dailyBudget {
                    let estimate = Engine.estimate(of: [prepared], prices: daily.prices)
                    if let refusal = try await engine({ try $0.todaysGuard(daily) }).refusal(estimate, nothing: "Nothing was rendered.") {
                        throw APIError.from(BudgetRefusal(message: refusal))
                    }
                }
                let renderer: any RenderProvider
                do { renderer = try await provider.get() } catch is CancellationError { throw APIError.from(CancellationError()) } catch {
                    throw APIError(.internalServerError, "Render failed: the provider cannot start.")
                }
                // As a job's renders are: the pool's timeout per attempt and retry policy.
                do { result = try await runner.engine.render(prepared, provider: renderer, settings: options.renderSettings) } catch let failure as RenderFailure {
                    throw APIError(.internalServerError, "Render failed: \(APIError.sentence(failure.message, limit: 300))")
                } catch { throw APIError.from(error) }
            }
            return JSONResponse.make([
                "shot_id": .string(result.shotID), "hash": .string(result.hash), "seed": .int(Int(result.seed)), "cached": .bool(result.cached),
                "url": .string("/artifacts/\(result.hash)"), "provider": .string(result.artifact.provider),
            ])
        }

        router.get("/artifacts/:hash") { _, context -> Response in
            let hash = try context.parameters.require("hash")
            guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw APIError(.notFound, "No image for that hash.")
            }
            let (bytes, mime) = try await engine { engine -> ([UInt8], String) in
                guard let artifact = try engine.artifact(forHash: hash) else { throw APIError(.notFound, "No image for that hash.") }
                return (try engine.artifactBytes(artifact), artifact.mime)
            }
            return Self.image(bytes, mime: mime)
        }

        router.get("/jobs") { _, _ -> Response in
            let jobs = try await engine { try $0.jobs(limit: 100) }
            return JSONResponse.make(["jobs": .array(jobs.map(Self.jobSummary))])
        }

        router.get("/jobs/:job") { _, context -> Response in
            let id = try Self.jobID(context)
            let (job, items) = try await engine { engine in (try engine.job(id), try engine.jobItems(id)) }
            var object = Self.jobSummary(job).objectValue ?? [:]
            object["results"] = .array(items.filter { $0.state.isFinal }.map { item in
                [
                    "shot_id": .string(item.shotID), "version": .int(item.version), "hash": .string(item.hash),
                    "cached": .bool(item.state == .cached),
                    "status": .string(item.state == .done || item.state == .cached ? "done" : item.state == .cancelled ? "cancelled" : "failed"),
                    "url": item.state == .done || item.state == .cached ? .string(Self.artifactURL(item.shotID, item.version)) : .null,
                    "error": .optional(item.error),
                ]
            })
            return JSONResponse.make(.object(object))
        }

        router.post("/jobs/:job/cancel") { _, context -> Response in
            let id = try Self.jobID(context)
            let cancelled = try await engine { try $0.cancelJob(id) }
            return JSONResponse.make(["job_id": .string(String(id)), "cancelled": .bool(cancelled)])
        }

        router.post("/jobs/:job/retry") { _, context -> Response in
            let id = try Self.jobID(context)
            let queued = try await engine { try $0.retryJob(id) }
            if queued > 0 { await renderer.kick() }
            return JSONResponse.make(["job_id": .string(String(id)), "queued": .int(queued)])
        }
    }

    /// A job as the reference shows it: queued, running or done (every ended state), with ours beside.
    static func jobSummary(_ job: RenderJob) -> JSONValue {
        let status = job.state == .queued ? "queued" : job.state == .running ? "running" : "done"
        var counts = JSONObject()
        for (state, count) in job.counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { counts[state.rawValue] = .int(count) }
        return [
            "job_id": .string(String(job.id)), "status": .string(status), "state": .string(job.state.rawValue),
            "progress": ["completed": .int(job.finished), "total": .int(job.total)], "counts": .object(counts),
            "provider": .optional(job.provider), "retries": .int(job.retries),
        ]
    }

    static func result(_ id: String, version: ShotVersion, item: JobItem?) -> JSONValue {
        let rendered = version.renderStatus == .rendered
        let failed = item.map { $0.state == .failed || $0.state == .blocked } ?? (version.renderStatus == .failed)
        return [
            "shot_id": .string(id), "version": .int(version.number), "hash": .string(version.hash),
            // Rendered before this request, or by another shot's identical spec in this job.
            "cached": .bool(rendered && item?.state != .done),
            "status": .string(rendered ? "done" : failed ? "failed" : version.renderStatus.rawValue),
            "url": rendered ? .string(artifactURL(id, version.number)) : .null,
            "error": .optional(item?.error),
        ]
    }

    static func jobID(_ context: some RequestContext) throws -> Int64 {
        let text = try context.parameters.require("job")
        guard let id = Int64(text), id > 0 else { throw APIError(.notFound, "No job \(APIError.quoted(String(text.prefix(40)))).") }
        return id
    }

    /// `shot_ids`: missing or empty means every shot; each id is validated.
    static func shotIDs(_ body: JSONObject) throws -> [String] {
        let ids = try JSONResponse.strings(body, "shot_ids") ?? []
        for (index, id) in ids.enumerated() where !ShotID.isValid(id) {
            throw APIError.validation(["body", "shot_ids", String(index)], "Not a shot id: \(APIError.quoted(id))", input: .string(id))
        }
        return ids
    }
}
