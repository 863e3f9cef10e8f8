import AsyncHTTPClient
import AutoDirectorCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing
import ThrowawayPostgres
@testable import AutoDirectorServer

/// `serve` through real HTTP on 127.0.0.1 and an ephemeral port: the reference's smoke flow,
/// errors, the admin token, concurrent reviews.
@Suite struct ServiceTests {
    static let csv = """
        sku,product_name,category,material,finish
        PROD-001,Wireless Headphones,electronics,plastic,glossy
        PROD-002,Macro Camera Lens,photography,glass,matte
        PROD-003,Ceramic Coffee Mug,homeware,ceramic,glossy

        """

    /// A running service on a new project; stopped (and the project removed) by `stop`.
    final class Running: @unchecked Sendable {
        let root: URL
        let engine: Engine
        let base: String
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        private let task: Task<Void, any Error>

        let port: Int

        /// `configure` changes the options (limits, the resolver) before the service starts.
        /// `kind`: `.postgres` serves a shared project, in a fresh database.
        /// `database`: this one rather than a fresh database of the shared server.
        init(_ kind: StoreKind = .sqlite, database: DatabaseURL? = nil, adminToken: String? = nil, configure: (inout ServerOptions) -> Void = { _ in })
            async throws
        {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("adserve-\(UUID().uuidString)")
            let shared = try database ?? (kind == .postgres ? try ThrowawayPostgres.freshDatabase() : nil)
            engine = try Engine(
                projectDirectory: root.appendingPathComponent("project"), database: shared,
                mode: .create, clock: { Date(timeIntervalSince1970: 1_790_000_000) })
            var options = ServerOptions(port: 0, adminToken: adminToken, reviewer: "api-test", renderSettings: RenderSettings(concurrency: 2), makeProvider: { MockProvider() })
            configure(&options)
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            task = Task { [engine] in
                try await AutoDirectorService.run(engine: engine, options: options, logger: logger, gracefulShutdownSignals: []) { port in
                    continuation.yield(port)
                }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ServerError("the service did not start") }
            self.port = port
            base = "http://127.0.0.1:\(port)"
        }

        func stop() async throws {
            try await client.shutdown()
            task.cancel()
            _ = try? await task.value
            try? FileManager.default.removeItem(at: root)
        }

        /// Status and JSON of a request.
        func call(_ method: HTTPMethod, _ path: String, json: String? = nil, headers: [(String, String)] = [], body: HTTPClientRequest.Body? = nil, contentType: String? = nil)
            async throws -> (status: Int, json: JSONValue?, bytes: [UInt8])
        {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let json {
                request.headers.add(name: "content-type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
            }
            if let body {
                request.body = body
                if let contentType { request.headers.add(name: "content-type", value: contentType) }
            }
            let response = try await client.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 50 << 20)
            let bytes = [UInt8](buffer: buffer)
            let parsed = (response.headers.first(name: "content-type") ?? "").hasPrefix("application/json") ? try? JSONParser.parse(bytes) : nil
            return (Int(response.status.code), parsed, bytes)
        }

        func upload(_ csv: String, name: String = "products.csv") async throws -> (status: Int, json: JSONValue?, bytes: [UInt8]) {
            let boundary = "----autodirector-test"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
            return try await call(.POST, "/ingest/csv", body: .bytes(ByteBuffer(string: body)), contentType: "multipart/form-data; boundary=\(boundary)")
        }
    }

    /// A shared project's server goes away under a running service and comes back: requests
    /// meanwhile are 503 with Retry-After (the service keeps running), then answered again.
    @Test(.enabled(if: ThrowawayPostgres.isAvailable)) func aLostDatabaseIs503UntilItIsBack() async throws {
        let cluster = try ThrowawayPostgres.start()
        defer { cluster.destroy() }
        let service = try await Running(database: try cluster.createDatabase("outage"))
        do {
            #expect(try await service.upload(Self.csv).status == 200)
            #expect(try await service.call(.GET, "/shots").status == 200)
            cluster.stopServer()
            let lost = try await service.call(.GET, "/shots")
            #expect(lost.status == 503)
            #expect(lost.json?["detail"]?.stringValue?.contains("unreachable") == true, "\(String(describing: lost.json))")
            #expect(!String(decoding: lost.bytes, as: UTF8.self).contains(cluster.password))
            try cluster.startServer()
            #expect(try await service.call(.GET, "/shots").status == 200)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    @Test(arguments: StoreKind.all) func theReferenceSmokeFlowPasses(_ kind: StoreKind) async throws {
        let service = try await Running(kind)
        do {
            #expect(try await service.call(.GET, "/health").json?["status"] == "ok")
            let ingested = try await service.upload(Self.csv)
            #expect(ingested.status == 200 && ingested.json?["batch_id"] == "products" && ingested.json?["count"] == 3)
            let planned = try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool")
            #expect(planned.json?["planned"] == 3)
            let shots = try await service.call(.GET, "/shots").json?["shots"]?.arrayValue ?? []
            #expect(shots.map { $0["shot_id"] } == ["PROD-001", "PROD-002", "PROD-003"])
            #expect(shots.first?["hash"]?.stringValue?.hasPrefix("80d9c1a55095") == true, "the golden hash of the sample")
            let render = try await service.call(.POST, "/render", json: #"{"shot_ids":["PROD-001","PROD-002","PROD-003"]}"#)
            let job = try #require(render.json?["job_id"]?.stringValue)
            // Polled until done, as the reference's clients do (a deadline, not a sleep count).
            let deadline = ContinuousClock.now + .seconds(20)
            var status = ""
            while status != "done", ContinuousClock.now < deadline {
                status = try await service.call(.GET, "/jobs/\(job)").json?["status"]?.stringValue ?? ""
                if status != "done" { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(status == "done")
            let shot = try await service.call(.GET, "/shots/PROD-001").json
            let url = try #require(shot?["artifact_url"]?.stringValue)
            #expect(shot?["status"] == "rendered" && shot?["camera"]?["fov"] == 45)
            let image = try await service.call(.GET, url)
            #expect(image.status == 200 && Array(image.bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let sync = try await service.call(.POST, "/render/sync", json: #"{"shot_ids":["PROD-001"]}"#)
            #expect(sync.json?["renders"]?.arrayValue?.first?["cached"] == true)
            let approved = try await service.call(.POST, "/shots/PROD-001/approve", json: #"{"note":"Approved"}"#)
            #expect(approved.json?["review_status"] == "approved" && approved.json?["review_note"] == "Approved")
            let rerender = try await service.call(.POST, "/shots/PROD-002/rerender", json: #"{"json_patch":{"camera":{"fov":60}}}"#)
            #expect(rerender.json?["version"] == 2 && rerender.json?["parent_hash"]?.stringValue?.hasPrefix("aefe610f0b52") == true)
            let compare = try await service.call(.GET, "/shots/PROD-002/compare?from=1&to=2").json?["changes"]?.arrayValue ?? []
            #expect(compare.count == 1 && compare.first?["path"] == "camera.fov" && compare.first?["new_value"] == 60, "a patch keeps the seed: one change")
            let versions = try await service.call(.GET, "/shots/PROD-002/versions").json?["versions"]?.arrayValue ?? []
            #expect(versions.count == 2)
            #expect(try await service.call(.POST, "/export/batch/products").json?["message"] == "Export completed")
            let zip = try await service.call(.GET, "/export/batch/products/download")
            #expect(zip.status == 200 && Array(zip.bytes.prefix(2)) == [0x50, 0x4B])
            #expect(try await service.call(.GET, "/export/batch/products/manifest").json?["batch"]?["id"] == "products")
            // A complete shot rendered on its own, then again from the cache.
            let spec = try await service.call(.GET, "/shots/PROD-003").json?.objectValue ?? [:]
            var shotOnly = JSONObject()
            for member in spec where !["hash", "status", "artifact_url", "duration_ms", "version", "seed", "review_status"].contains(member.key) {
                shotOnly[member.key] = member.value
            }
            shotOnly["shot_id"] = "ADHOC-1"
            let body = JSONWriter.compact(["shot": .object(shotOnly)])
            let first = try await service.call(.POST, "/render/shot/sync", json: body)
            #expect(first.status == 200 && first.json?["cached"] == false, "\(String(decoding: first.bytes, as: UTF8.self))")
            let again = try await service.call(.POST, "/render/shot/sync", json: body)
            #expect(again.json?["cached"] == true && again.json?["hash"] == first.json?["hash"])
            let adhocImage = try await service.call(.GET, again.json?["url"]?.stringValue ?? "/")
            #expect(adhocImage.status == 200 && Array(adhocImage.bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let missing = try await service.call(.POST, "/render/shot/sync", json: #"{"shot":{"subject":"x"}}"#)
            #expect(missing.status == 400)
            let explain = try await service.call(.GET, "/shots/PROD-001/explain").json
            #expect(explain?["mode"] == "internal_shot" && explain?["rules_applied"]?.arrayValue?.isEmpty == false)
            let prometheus = try await service.call(.GET, "/metrics?format=prometheus")
            #expect(String(decoding: prometheus.bytes, as: UTF8.self).contains("# TYPE autodirector_renders_total counter"))
            #expect(try await service.call(.GET, "/metrics").json?["shots_total"] == 3, "plain /metrics stays the reference's JSON")
            // What the service did, the CLI sees: one database.
            #expect(try service.engine.version(of: "PROD-001").review == .approved)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    /// `FIBO_BUDGET` in the service (SPEC §18): its background render stops at the day's budget,
    /// the rest left queued, and a single render past it is refused with 409.
    @Test func theServiceKeepsToTheDaysBudget() async throws {
        let prices = ImagePrices(fallback: 0.04)
        let service = try await Running { $0.dailyBudget = DailyBudget(limit: 0.05, prices: prices) }
        do {
            #expect(try await service.upload(Self.csv).status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool").status == 200)
            let render = try await service.call(.POST, "/render/sync", json: #"{"shot_ids":["PROD-001","PROD-002","PROD-003"]}"#)
            #expect(render.status == 200, "\(String(decoding: render.bytes, as: UTF8.self))")
            let job = try #require(try service.engine.jobs().first)
            #expect(job.counts[.done] == 1 && job.counts[.queued] == 2, "one render fits 0.05: \(job.counts)")
            #expect(try service.engine.spend(since: nil, prices: prices).calls == 1)
            // A complete shot of its own: PROD-003's spec under another id.
            var adhoc = try await service.call(.GET, "/shots/PROD-003").json?.objectValue ?? [:]
            for key in ["hash", "status", "artifact_url", "duration_ms", "version", "seed", "review_status"] { adhoc[key] = nil }
            adhoc["shot_id"] = "ADHOC-1"
            let single = try await service.call(.POST, "/render/shot/sync", json: JSONWriter.compact(["shot": .object(adhoc)]))
            #expect(single.status == 409, "\(String(decoding: single.bytes, as: UTF8.self))")
            #expect(single.json?["detail"]?.stringValue?.contains("more than the budget allows (FIBO_BUDGET 0.05 a day, 0.04 spent today: 0.01 left)") == true,
                    "\(String(decoding: single.bytes, as: UTF8.self))")
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    /// The review vocabulary (SPEC §17) through the service: the same actions, checks and audit
    /// log as the command line's `retake`, `hold` and `release`.
    @Test(arguments: StoreKind.all) func retakeHoldAndReleaseThroughTheService(_ kind: StoreKind) async throws {
        let service = try await Running(kind)
        do {
            #expect(try await service.upload(Self.csv).status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool").status == 200)
            let noNote = try await service.call(.POST, "/shots/PROD-001/retake", json: "{}")
            #expect(noNote.status == 422 && noNote.json?["detail"]?.arrayValue?.first?["msg"] == "A retake needs a note saying what to change.")
            let retake = try await service.call(.POST, "/shots/PROD-001/retake", json: #"{"note":"warmer light"}"#)
            #expect(retake.status == 200 && retake.json?["review_status"] == "changes_requested" && retake.json?["review_note"] == "warmer light")
            #expect(try await service.call(.POST, "/shots/PROD-002/hold", json: "{}").json?["review_status"] == "on_hold")
            let notHeld = try await service.call(.POST, "/shots/PROD-003/release", json: "{}")
            #expect(notHeld.status == 409 && notHeld.json?["detail"]?.stringValue?.contains("PROD-003 v1 is not on hold") == true, "\(notHeld.json.map(JSONWriter.compact) ?? "")")
            #expect(try await service.call(.POST, "/shots/PROD-002/release", json: "{}").json?["review_status"] == "pending")
            #expect(try await service.call(.POST, "/shots/NOPE-1/hold", json: "{}").status == 404)
            #expect(try service.engine.reviewLog(of: "PROD-002").map(\.status) == [.onHold, .pending])
            #expect(try service.engine.retakeCount(of: "PROD-001") == 1)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    @Test(arguments: StoreKind.all) func notesThroughTheService(_ kind: StoreKind) async throws {
        let service = try await Running(kind)
        do {
            #expect(try await service.upload(Self.csv).status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool").status == 200)
            let retake = try await service.call(.POST, "/shots/PROD-001/retake", json: #"{"note":"move it left","pin":{"x":0.7,"y":0.5}}"#)
            #expect(retake.status == 200, "\(retake.json.map(JSONWriter.compact) ?? "")")
            let badPin = try await service.call(.POST, "/shots/PROD-001/retake", json: #"{"note":"x","pin":{"x":2,"y":0.5}}"#)
            #expect(badPin.status == 422 && badPin.json?["detail"]?.arrayValue?.first?["msg"]?.stringValue?.contains("within 0…1") == true)
            #expect(try await service.call(.POST, "/shots/PROD-001/hold", json: #"{"pin":{"x":0.1,"y":0.1}}"#).status == 422)

            let note = try await service.call(.POST, "/shots/PROD-001/notes", json: #"{"text":"logo too small","pin":{"x":0.1,"y":0.1,"w":0.2,"h":0.1}}"#)
            #expect(note.status == 201 && note.json?["pin"]?["w"] == 0.2 && note.json?["state"] == "open")
            let noteID = String(Int(try #require(note.json?["id"]?.numberValue)))
            let reply = try await service.call(.POST, "/notes/\(noteID)/replies", json: #"{"text":"will fix"}"#)
            #expect(reply.status == 201 && reply.json?["reply_to"]?.numberValue == note.json?["id"]?.numberValue)
            let listed = try await service.call(.GET, "/shots/PROD-001/notes")
            let threads = try #require(listed.json?["threads"]?.arrayValue)
            #expect(threads.count == 2 && threads[0]["retake"] == true && threads[0]["pin"]?["x"] == 0.7 && threads[1]["replies"]?.arrayValue?.count == 1)
            let resolved = try await service.call(.POST, "/notes/\(noteID)/resolve", json: "{}")
            #expect(resolved.status == 200 && resolved.json?["changed"] == true && resolved.json?["note"]?["state"] == "resolved")
            #expect(try await service.call(.POST, "/notes/\(noteID)/resolve", json: "{}").json?["changed"] == false)
            #expect(try await service.call(.POST, "/notes/\(noteID)/reopen", json: "{}").json?["note"]?["state"] == "open")
            #expect(try await service.call(.GET, "/notes/\(noteID)").json?["text"] == "logo too small")

            for (method, path, json, status) in [
                (HTTPMethod.GET, "/notes/999", nil, 404), (.POST, "/notes/999/resolve", "{}", 404), (.GET, "/notes/abc", nil, 404),
                (.POST, "/notes/999/replies", #"{"text":"x"}"#, 404), (.GET, "/shots/NOPE-1/notes", nil, 404),
                (.POST, "/shots/PROD-001/notes", #"{"text":" "}"#, 422), (.POST, "/shots/PROD-001/notes", "{}", 422),
                (.POST, "/shots/PROD-001/notes", #"{"text":"x","version":9}"#, 404), (.POST, "/shots/PROD-001/notes", #"{"text":"x","colour":1}"#, 422),
                (.POST, "/shots/PROD-001/notes", #"{"text":"x","pin":{"x":0.5}}"#, 422),
            ] as [(HTTPMethod, String, String?, Int)] {
                let answer = try await service.call(method, path, json: json)
                #expect(answer.status == status && answer.json?["detail"] != nil, "\(method) \(path) \(json ?? "")")
            }

            _ = try await service.call(.POST, "/shots/PROD-001/rerender", json: #"{"set":{"camera.fov":50}}"#)
            let v2 = try await service.call(.GET, "/shots/PROD-001/notes")
            #expect(v2.json?["version"] == 2 && v2.json?["answers"]?.arrayValue?.first?["number"] == 1)
            #expect(try service.engine.noteLog(of: "PROD-001").map(\.state) == [.resolved, .open])
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    @Test(arguments: StoreKind.all) func assignmentThroughTheService(_ kind: StoreKind) async throws {
        let service = try await Running(kind)
        do {
            #expect(try await service.upload(Self.csv).status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool").status == 200)
            let one = try await service.call(.POST, "/shots/PROD-001/assign", json: #"{"to":"ana"}"#)
            #expect(one.status == 200 && one.json?["changed"]?.arrayValue == ["PROD-001"] && one.json?["assignee"] == "ana")
            let bulk = try await service.call(.POST, "/assign", json: #"{"shot_ids":["PROD-001","PROD-002"],"to":"ana"}"#)
            #expect(bulk.json?["changed"]?.arrayValue == ["PROD-002"] && bulk.json?["unchanged"]?.arrayValue == ["PROD-001"])
            let unknown = try await service.call(.POST, "/assign", json: #"{"shot_ids":["PROD-003","NOPE-9"],"to":"ana"}"#)
            #expect(unknown.status == 404 && unknown.json?["detail"]?.stringValue?.contains("NOPE-9") == true)
            #expect(try service.engine.assignee(of: "PROD-003") == nil, "all or nothing")
            #expect(try await service.call(.POST, "/assign", json: #"{"shot_ids":["PROD-003"]}"#).status == 422)
            #expect(try await service.call(.POST, "/assign", json: #"{"shot_ids":[],"to":"ana"}"#).status == 422)
            #expect(try await service.call(.POST, "/shots/PROD-001/assign", json: #"{"to":"  "}"#).status == 422)
            #expect(try await service.call(.POST, "/shots/PROD-002/unassign", json: "{}").json?["changed"]?.arrayValue == ["PROD-002"])
            let shown = try await service.call(.GET, "/shots/PROD-002/assignment")
            #expect(shown.json?["assignee"] == .null && shown.json?["log"]?.arrayValue?.count == 2)
            #expect(try await service.call(.GET, "/shots/NOPE-1/assignment").status == 404)
            #expect(try service.engine.shotIDs(matching: ShotQuery(assignee: "ana")) == ["PROD-001"])
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    /// Approval stages through the service: `/config` sets them, an approval names its stage.
    @Test(arguments: StoreKind.all) func approvalStagesThroughTheService(_ kind: StoreKind) async throws {
        let service = try await Running(kind)
        do {
            #expect(try await service.upload(Self.csv).status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool").status == 200)
            #expect(try await service.call(.POST, "/render/sync", json: #"{"shot_ids":["PROD-001"]}"#).status == 200)
            #expect(try await service.call(.GET, "/config").json?["approval_stages"]?.arrayValue == [])
            let set = try await service.call(.POST, "/config", json: #"{"stages":"art brand"}"#)
            #expect(set.status == 200 && set.json?["stages"] == "art, brand" && set.json?["approval_stages"]?.arrayValue == ["art", "brand"])
            #expect(try await service.call(.POST, "/config", json: #"{"stages":"Art"}"#).status == 422)
            #expect(try await service.call(.POST, "/config", json: #"{"colour":"red"}"#).status == 422)
            #expect(try await service.call(.POST, "/config", json: #"{"stages":3}"#).status == 422)

            let unnamed = try await service.call(.POST, "/shots/PROD-001/approve", json: "{}")
            #expect(unnamed.status == 422 && unnamed.json?["detail"]?.stringValue?.contains("say which stage") == true)
            #expect(try await service.call(.POST, "/shots/PROD-001/approve", json: #"{"stage":"legal"}"#).status == 422)
            #expect(try await service.call(.POST, "/shots/PROD-001/approve", json: #"{"stage":"brand"}"#).status == 409, "art first")
            #expect(try await service.call(.POST, "/shots/PROD-001/hold", json: #"{"stage":"art"}"#).status == 422, "only an approval names a stage")
            let art = try await service.call(.POST, "/shots/PROD-001/approve", json: #"{"stage":"art"}"#)
            #expect(art.json?["review_status"] == "pending" && art.json?["approved_stages"]?.arrayValue == ["art"])
            let brand = try await service.call(.POST, "/shots/PROD-001/approve", json: #"{"stage":"brand"}"#)
            #expect(brand.json?["review_status"] == "approved" && brand.json?["approved_stages"]?.arrayValue == ["art", "brand"])
            let reviews = try await service.call(.GET, "/shots/PROD-001/versions").json?["versions"]?.arrayValue?.first?["reviews"]?.arrayValue
            #expect(reviews?.map { $0["stage"] } == ["art", "brand"])
            let log = try await service.call(.GET, "/shots/PROD-001/log").json?["events"]?.arrayValue ?? []
            #expect(log.map { $0["action"] } == ["approved at art", "approved at brand"])
            let approved = try await service.call(.GET, "/shots?filter=status:approved").json?["shots"]?.arrayValue ?? []
            #expect(approved.map { $0["shot_id"] } == ["PROD-001"] && approved.first?["approved_stages"] == ["art", "brand"])
            let waiting = try await service.call(.GET, "/shots?filter=stage:art").json?["shots"]?.arrayValue ?? []
            #expect(waiting.map { $0["shot_id"] } == ["PROD-002", "PROD-003"])
            #expect(try await service.call(.GET, "/shots?filter=stage:legal").status == 422)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    /// The flow `NoteCommandTests.theSameFlowLogsTheSameAsTheService` runs from the command line,
    /// through the service: the same audit log (SPEC §17).
    @Test func theAuditLogOfAFlowThroughTheService() async throws {
        let service = try await Running()
        do {
            #expect(try await service.upload(Self.csv).status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool").status == 200)
            _ = try await service.call(.POST, "/shots/PROD-001/retake", json: #"{"note":"move it left","pin":{"x":0.7,"y":0.5}}"#)
            let note = try await service.call(.POST, "/shots/PROD-001/notes", json: #"{"text":"logo too small"}"#)
            let id = String(Int(try #require(note.json?["id"]?.numberValue)))
            _ = try await service.call(.POST, "/notes/\(id)/resolve", json: "{}")
            _ = try await service.call(.POST, "/shots/PROD-001/assign", json: #"{"to":"bo"}"#)
            let log = try await service.call(.GET, "/shots/PROD-001/log")
            let events = try #require(log.json?["events"]?.arrayValue)
            #expect(events.map(Self.auditLine) == Self.expectedAudit(reviewer: "api-test"), "\(events.map(Self.auditLine))")
            #expect(try await service.call(.GET, "/shots/NOPE-1/log").status == 404)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    /// An audit event without its time and ids: what both faces must agree on.
    static func auditLine(_ event: JSONValue) -> String {
        let version = event["version"]?.numberValue.map { "v\(Int($0))" } ?? "--"
        let pin = event["pin"].map { "@\($0["x"]?.numberValue ?? -1),\($0["y"]?.numberValue ?? -1)" } ?? ""
        return "\(event["reviewer"]?.stringValue ?? "?") \(version) \(event["action"]?.stringValue ?? "?")\(pin) \(event["text"]?.stringValue ?? "")"
    }

    static func expectedAudit(reviewer: String) -> [String] {
        [
            "\(reviewer) v1 changes_requested move it left", "\(reviewer) v1 retake note@0.7,0.5 move it left",
            "\(reviewer) v1 note logo too small", "\(reviewer) v1 resolved ", "\(reviewer) -- assigned bo",
        ]
    }

    @Test func badRequestsGet4xxWithDetailAndTheServiceAnswersAfterwards() async throws {
        let service = try await Running()
        do {
            let cases: [(HTTPMethod, String, String?, Int)] = [
                (.POST, "/plan", nil, 422), (.GET, "/shots/NOPE-1", nil, 404), (.GET, "/shots/..%2F..%2Fetc%2Fpasswd", nil, 404),
                (.POST, "/render", "{bad", 422), (.POST, "/render", "[1]", 422), (.POST, "/render", #"{"shot_ids":[5]}"#, 422),
                (.POST, "/render", #"{"shot_ids":["../x"]}"#, 422), (.GET, "/jobs/abc", nil, 404), (.GET, "/jobs/99", nil, 404),
                (.GET, "/export/batch/zzz/download", nil, 404), (.POST, "/plan?batch_id=nope", nil, 404),
                (.POST, "/render", #"{"shot_id":["PROD-001"]}"#, 422), (.POST, "/shots/PROD-001/approve", #"{"notes":"x"}"#, 422),
                (.POST, "/shots/PROD-001/rerender", #"{"json_patch":5}"#, 422), (.POST, "/shots/PROD-001/rerender", "{}", 422),
                (.GET, "/shots/PROD-001/compare?from=x&to=2", nil, 422),
            ]
            for (method, path, json, expected) in cases {
                let answer = try await service.call(method, path, json: json)
                #expect(answer.status == expected, "\(method) \(path)")
                #expect(answer.json?["detail"] != nil, "\(method) \(path) says why")
            }
            let empty = try await service.upload("sku,product_name\n")
            #expect(empty.status == 400, "a CSV without data rows")
            let huge = try await service.call(.POST, "/render", json: "{\"shot_ids\":[" + String(repeating: "\"A\",", count: 20 << 20) + "\"A\"]}")
            #expect(huge.status == 413)
            #expect(try await service.call(.GET, "/health").status == 200)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    @Test func withAnAdminTokenMutationsNeedIt() async throws {
        let service = try await Running(adminToken: "s3cret")
        do {
            let refused = try await service.upload(Self.csv)
            #expect(refused.status == 403 && refused.json?["detail"] == "Invalid admin token")
            #expect(try await service.call(.GET, "/health").status == 200, "reads need no token")
            let token = [("X-Admin-Token", "s3cret")]
            let boundary = "b"
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"products.csv\"\r\n\r\n\(Self.csv)\r\n--\(boundary)--\r\n"
            let accepted = try await service.call(
                .POST, "/ingest/csv", headers: token, body: .bytes(ByteBuffer(string: body)), contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(accepted.status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products", headers: [("X-Admin-Token", "wrong")]).status == 403)
            #expect(try await service.call(.POST, "/plan?batch_id=products", headers: token).status == 200)
            #expect(try await service.call(.POST, "/render/sync", json: "{}", headers: [("Authorization", "Bearer s3cret")]).status == 200)
            #expect(try await service.call(.POST, "/shots/PROD-001/approve", json: "{}").status == 403, "approve without the header")
            #expect(try await service.call(.POST, "/shots/PROD-001/approve", json: "{}", headers: token).status == 200, "and with it")
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
        #expect(throws: ServerError.self) { try ServerOptions(host: "0.0.0.0", makeProvider: { MockProvider() }).validate() }
        try ServerOptions(host: "0.0.0.0", adminToken: "x", makeProvider: { MockProvider() }).validate()
    }

    @Test func concurrentReviewsAllLandInTheAuditLog() async throws {
        let service = try await Running()
        do {
            // A shot per client, each request a change (approving an approved shot changes and logs nothing).
            let rows = (1...8).map { "SHOT-\($0),Product \($0),homeware,ceramic,glossy" }.joined(separator: "\n")
            _ = try await service.upload("sku,product_name,category,material,finish\n" + rows + "\n", name: "eight.csv")
            _ = try await service.call(.POST, "/plan?batch_id=eight")
            _ = try await service.call(.POST, "/render/sync", json: "{}")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var worst = 200
                        for index in 0..<15 {
                            let shot = "SHOT-\(client + 1)"
                            let answer = index % 2 == 0
                                ? try await service.call(.POST, "/shots/\(shot)/approve", json: "{}")
                                : try await service.call(.POST, "/shots/\(shot)/reject", json: #"{"note":"client \#(client)"}"#)
                            worst = max(worst, answer.status)
                        }
                        return worst
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 200 })
            let logged = try (1...8).reduce(0) { $0 + (try service.engine.reviewLog(of: "SHOT-\($1)").count) }
            #expect(logged == 120, "every acknowledged review is in the audit log")
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }
}
