import AsyncHTTPClient
import AutoDirectorCore
import Foundation
import NIOHTTP1
import Testing
@testable import AutoDirectorServer

/// Issue 19, defects 2, 5 and 10 through real HTTP: a repeated approval keeps its note, a job
/// another process queues on the project is rendered by the running service, and parallel
/// exports of one batch all succeed.
@Suite struct ServiceRegressionTests {
    private func plannedAndRendered(_ service: ServiceTests.Running) async throws {
        _ = try await service.upload(ServiceTests.csv)
        _ = try await service.call(.POST, "/plan?batch_id=products")
        _ = try await service.call(.POST, "/render/sync", json: "{}")
    }

    @Test func approvingAnApprovedShotAgainKeepsTheNewNote() async throws {
        let service = try await ServiceTests.Running()
        do {
            try await plannedAndRendered(service)
            let first = try await service.call(.POST, "/shots/PROD-001/approve", json: #"{"note":"good"}"#)
            #expect(first.status == 200 && first.json?["review_note"] == "good")
            let second = try await service.call(.POST, "/shots/PROD-001/approve", json: #"{"note":"hero shot for the banner"}"#)
            #expect(second.status == 200 && second.json?["review_note"] == "hero shot for the banner")
            let notes = try service.engine.reviewLog(of: "PROD-001").map(\.note)
            #expect(notes == ["good", "hero shot for the banner"], "both notes are in the audit log")
            // Without a note, approving again changes and logs nothing.
            #expect(try await service.call(.POST, "/shots/PROD-001/approve", json: "{}").status == 200)
            #expect(try service.engine.reviewLog(of: "PROD-001").count == 2)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    @Test func aJobQueuedByAnotherProcessIsRendered() async throws {
        let service = try await ServiceTests.Running()
        do {
            try await plannedAndRendered(service)
            // Another process (a CLI `rerender`): its own connection to the project's database.
            let other = try Engine(projectDirectory: service.root.appendingPathComponent("project"))
            let queued = try other.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=60"]))
            let deadline = ContinuousClock.now + .seconds(30)
            var status = ""
            while status != "done", ContinuousClock.now < deadline {
                status = try await service.call(.GET, "/jobs/\(queued.jobID)").json?["status"]?.stringValue ?? ""
                if status != "done" { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(status == "done", "the service renders a job queued elsewhere without a restart")
            let shot = try await service.call(.GET, "/shots/PROD-002").json
            #expect(shot?["version"] == 2 && shot?["status"] == "rendered")
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    @Test func parallelExportsOfOneBatchAllSucceed() async throws {
        let service = try await ServiceTests.Running()
        do {
            try await plannedAndRendered(service)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await service.call(.POST, "/export/batch/products").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 8))
            let exports = service.root.appendingPathComponent("project/exports")
            #expect(try BundleVerifier.verify(exports.appendingPathComponent("products")).problems.isEmpty)
            #expect(try BundleVerifier.verify(exports.appendingPathComponent("products.zip")).problems.isEmpty)
            // Nothing of the eight exports is left beside the bundle but the lock they took turns on.
            let names = try FileManager.default.contentsOfDirectory(atPath: exports.path).sorted()
            #expect(names == [".products.lock", "products", "products.zip"])
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    /// Issue 21, deliverable 3: a shot the project does not have is 404 on every route that
    /// names one, whatever the route does, with bodies each route would otherwise accept.
    @Test func anUnknownShotIs404OnEveryShotRoute() async throws {
        let service = try await ServiceTests.Running()
        do {
            try await plannedAndRendered(service)
            let routes: [(HTTPMethod, String, String?)] = [
                (.GET, "/shots/NOPE", nil), (.GET, "/shots/NOPE/image", nil), (.GET, "/shots/NOPE/versions", nil),
                (.GET, "/shots/NOPE/compare?from=1&to=2", nil), (.GET, "/shots/NOPE/explain", nil),
                (.POST, "/shots/NOPE/approve", #"{"note":"ok"}"#), (.POST, "/shots/NOPE/reject", #"{"note":"no"}"#),
                (.POST, "/shots/NOPE/rerender", #"{"json_patch":{"camera":{"fov":60}}}"#),
                (.POST, "/render", #"{"shot_ids":["NOPE"]}"#), (.POST, "/render/sync", #"{"shot_ids":["NOPE"]}"#),
            ]
            for (method, path, body) in routes {
                let answer = try await service.call(method, path, json: body)
                #expect(answer.status == 404, "\(method) \(path): \(answer.status) \(answer.json ?? .null)")
            }
            // A version the shot does not have is 404 too.
            #expect(try await service.call(.GET, "/shots/PROD-001/image?version=9").status == 404)
            #expect(try await service.call(.GET, "/shots/PROD-001/compare?from=1&to=9").status == 404)
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    /// Issue 21, deliverable 3: input the engine reads but refuses is 422 with its sentence,
    /// nothing stored; an upload that cannot be read as a batch stays 400, as does an ad-hoc
    /// shot without a required key (the reference's answers to both).
    @Test func refusedInputIs422AndAnUnreadableUploadIs400() async throws {
        let service = try await ServiceTests.Running()
        do {
            try await plannedAndRendered(service)
            let refused: [(HTTPMethod, String, String?, String)] = [
                (.POST, "/shots/PROD-001/rerender", #"{"json_patch":{"camera":{"fov":500}}}"#, "a value out of range"),
                (.POST, "/shots/PROD-001/rerender", #"{"json_patch":{"camra":{"fov":60}}}"#, "a field the spec does not have"),
                (.POST, "/shots/PROD-001/rerender", #"{"json_patch":[{"op":"test","path":"/camera/fov","value":1}]}"#, "a failing JSON Patch test"),
                (.POST, "/shots/PROD-001/rerender", #"{"json_patch":[{"op":"replace","path":"camera","value":1}]}"#, "a JSON pointer without /"),
                (.POST, "/shots/PROD-001/rerender", #"{"set":{"camera..fov":60}}"#, "a dotted path that does not parse"),
                (.POST, "/shots/PROD-001/rerender", #"{"json_patch":{}}"#, "a patch that changes nothing"),
                (.POST, "/plan?batch_id=products&preset_id=nope", nil, "an unknown preset"),
                (.POST, "/render/shot/sync", #"{"shot":{"shot_id":"ADHOC-1"},"preset_id":"nope"}"#, "an unknown preset for an ad-hoc shot"),
            ]
            for (method, path, body, what) in refused {
                let answer = try await service.call(method, path, json: body)
                #expect(answer.status == 422, "\(what): \(answer.status) \(answer.json ?? .null)")
                #expect(answer.json?["detail"]?.stringValue?.isEmpty == false, "\(what): the engine's sentence")
            }
            #expect(try service.engine.versions(of: "PROD-001").count == 1, "nothing was stored")
            let adhoc = try await service.call(.POST, "/render/shot/sync", json: #"{"shot":{"shot_id":"ADHOC-1"}}"#)
            #expect(adhoc.status == 400, "\(adhoc.json ?? .null)")
            #expect(adhoc.json?["detail"]?.stringValue?.contains("invalid") == true, "\(adhoc.json ?? .null)")
            let unreadable = try await service.upload("sku,product_name\n\"A-1,Mug\n", name: "quote.csv")
            #expect(unreadable.status == 400, "\(unreadable.json ?? .null)")
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }
}
