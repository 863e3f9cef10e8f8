import AsyncHTTPClient
import AutoDirectorCore
import Foundation
import Testing
@testable import AutoDirectorServer

/// Issue 19, defects 2 and 5 through real HTTP: a repeated approval keeps its note, and a job
/// another process queues on the project is rendered by the running service.
@Suite struct ServiceReviewAndQueueTests {
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
}
