import AutoDirectorCore
import Foundation
import Hummingbird
import MultipartKit

/// The service itself, ingest and plan, export.
extension ServiceContext {
    func batchRoutes(_ router: ServiceRoutes) {
        router.get("/") { _, _ -> Response in
            JSONResponse.make(["message": "AutoDirector: deterministic FIBO shot specs, renders and reviews", "version": .string(AutoDirectorVersion.string)])
        }

        router.get("/health") { _, _ -> Response in
            let health = try await engine { try $0.health() }
            let uptime = (ContinuousClock.now - startedAt)
            return JSONResponse.make([
                "status": .string(health.status == "ok" ? "ok" : health.status), "provider": .string(health.provider),
                "uptime_seconds": .number(uptime.seconds),
                "shots": .int(health.counts.shots), "jobs": .int(health.counts.jobs), "artifacts": .int(health.counts.artifacts),
                "batches": .int(health.counts.batches), "versions": .int(health.counts.versions), "schema_version": .string(health.schemaVersion),
            ])
        }

        router.get("/metrics") { request, _ -> Response in
            // Prometheus text when asked (`?format=prometheus`, or Accept: text/plain); the reference's JSON otherwise.
            let accept = request.headers[.accept] ?? ""
            if request.uri.queryParameters.get("format") == "prometheus" || (accept.hasPrefix("text/plain") && !accept.contains("json")) {
                let text = try await engine { try $0.metrics().prometheusText }
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
            let (metrics, shots, batches) = try await engine { engine in (try engine.metrics(), try engine.shots(), try engine.batches().count) }
            return JSONResponse.make([
                "batches": .int(batches), "shots_total": .int(shots.count),
                "shots_done": .int(shots.filter { $0.renderStatus == .rendered }.count),
                "shots_failed": .int(shots.filter { $0.renderStatus == .failed || $0.renderStatus == .blocked }.count),
                "cache_hits": .int(metrics.cacheHits), "renders_executed": .int(metrics.rendersExecuted),
                "avg_render_ms": metrics.renderMillisecondsMean.map(JSONValue.number) ?? .number(0),
                "failures": .int(metrics.failures), "retries": .int(metrics.retries), "queue_depth": .int(metrics.queueDepth),
            ])
        }

        router.post("/ingest/csv") { request, _ -> Response in
            let uploads = try await engine { try $0.uploadsDirectory() }
            let file = try await Upload.receive(request, field: "file", into: uploads, limit: options.maxBodyBytes, reader: bodies)
            defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
            let result = try await engine { try $0.ingest(file) }
            return JSONResponse.make(["batch_id": .string(result.batchID), "count": .int(result.rows), "new": .bool(result.isNew)])
        }

        router.post("/plan") { request, _ -> Response in
            guard let batch = request.uri.queryParameters.get("batch_id").map({ String($0) }), !batch.isEmpty else {
                throw APIError.validation(["query", "batch_id"], "Field required", type: "missing")
            }
            let preset = request.uri.queryParameters.get("preset_id").map({ String($0) }).flatMap { $0.isEmpty ? nil : $0 }
            let summary = try await engine { try $0.plan(batchID: batch, preset: preset) }
            return JSONResponse.make([
                "planned": .int(summary.shots), "batch_id": .string(summary.batchID), "created": .int(summary.created),
                "updated": .int(summary.updated), "unchanged": .int(summary.unchanged),
            ])
        }

        router.post("/export/batch/:batch") { _, context -> Response in
            let batch = try context.parameters.require("batch")
            let result = try await engine { try $0.export(batchID: batch, options: ExportOptions(directory: try $0.exportFolder(default: .project), zip: true)) }
            let base = "exports/\(result.directory.lastPathComponent)"
            return JSONResponse.make([
                "batch_id": .string(batch), "message": "Export completed", "entries": .int(result.entries), "images": .int(result.images),
                "paths": ["manifest": .string("\(base)/manifest.json"), "report": .string("\(base)/report.json"), "zip": .string("\(base).zip")],
            ])
        }

        router.get("/export/batch/:batch/manifest") { _, context -> Response in
            let batch = try context.parameters.require("batch")
            let file = try await exportedFile(batch, "manifest.json")
            let bytes = try await engine { _ in try [UInt8](Data(contentsOf: file)) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }

        router.get("/export/batch/:batch/download") { _, context -> Response in
            let batch = try context.parameters.require("batch")
            let file = try await exportedFile(batch, nil)
            // Streamed from disk: a bundle of 10,000 images is gigabytes.
            let body = try await FileIO().loadFile(path: file.path, context: context)
            return Response(
                status: .ok,
                headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"batch_\(batch).zip\""], body: body)
        }
    }

    /// An exported file of a known batch (its id comes from the store, so it names a file safely);
    /// 404 before the batch is exported.
    private func exportedFile(_ batch: String, _ name: String?) async throws -> URL {
        let (known, base) = try await engine { engine in (try engine.batches().map(\.id), try engine.exportFolder(default: .project)) }
        guard let id = known.first(where: { $0 == batch }) else { throw APIError(.notFound, "No batch \(APIError.quoted(batch)) in this project.") }
        let file = name.map { base.appendingPathComponent(id).appendingPathComponent($0) } ?? base.appendingPathComponent("\(id).zip")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw APIError(.notFound, "Batch \(id) has not been exported yet: POST /export/batch/\(id) first.")
        }
        return file
    }
}
