import AutoDirectorCore
import Foundation
import Synchronization
import Testing
@testable import AutoDirectorServer

/// `POST /render/shot/sync` renders as a job's renders do (issue 21, 4): the pool's timeout per
/// attempt and retry policy, and the service's one provider, shared with the background renders.
@Suite struct SyncRenderTests {
    /// A network-like provider whose first attempt hangs (until its timeout cancels it).
    final class HangsOnce: RenderProvider {
        let name = "hangs-once"
        let canHang = true
        let calls = Atomic<Int>(0)
        private let mock = MockProvider()

        func render(_ request: RenderRequest) async throws -> RenderedImage {
            if calls.add(1, ordering: .relaxed).newValue == 1 {
                // A provider that never answers; only the renderer's timeout ends it.
                try await Task.sleep(for: .seconds(3600))
            }
            return try await mock.render(request)
        }
    }

    @Test func aSingleShotRendersThroughThePoolsTimeoutAndRetryWithTheServicesOneProvider() async throws {
        let provider = HangsOnce()
        let made = Atomic<Int>(0)
        let service = try await ServiceTests.Running { options in
            options.renderSettings = RenderSettings(
                concurrency: 2, itemTimeout: 0.2, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.02, random: { 0 }))
            options.makeProvider = {
                made.add(1, ordering: .relaxed)
                return provider
            }
        }
        do {
            #expect(try await service.upload(ServiceTests.csv).status == 200)
            #expect(try await service.call(.POST, "/plan?batch_id=products&preset_id=brand_neutral_cool").status == 200)
            var shot = JSONObject()
            for member in try await service.call(.GET, "/shots/PROD-003").json?.objectValue ?? [:]
            where !["hash", "status", "artifact_url", "duration_ms", "version", "seed", "review_status"].contains(member.key) {
                shot[member.key] = member.value
            }
            shot["shot_id"] = "ADHOC-1"
            let first = try await service.call(.POST, "/render/shot/sync", json: JSONWriter.compact(["shot": .object(shot)]))
            #expect(first.status == 200 && first.json?["cached"] == false, "\(String(decoding: first.bytes, as: UTF8.self))")
            #expect(provider.calls.load(ordering: .relaxed) == 2, "the hung attempt timed out after 0.2 s and was retried")
            #expect(first.json?["provider"] == "hangs-once")

            shot["shot_id"] = "ADHOC-2"
            shot["subject"] = "Another subject"
            let second = try await service.call(.POST, "/render/shot/sync", json: JSONWriter.compact(["shot": .object(shot)]))
            #expect(second.status == 200 && second.json?["cached"] == false, "\(String(decoding: second.bytes, as: UTF8.self))")
            // A job's renders, in the background, go through the same provider.
            let job = try await service.call(.POST, "/render/sync", json: #"{"shot_ids":["PROD-001"]}"#)
            #expect(job.status == 200 && job.json?["renders"]?.arrayValue?.first?["status"] == "done", "\(String(decoding: job.bytes, as: UTF8.self))")
            #expect(made.load(ordering: .relaxed) == 1, "one provider (one HTTP client) for the service, not one per request")
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }

    @Test func theServicesFoldersAreGuardedLikeTheRestOfTheProject() async throws {
        let service = try await ServiceTests.Running()
        do {
            // `uploads` linked out of the project: refused, nothing written where it points.
            let outside = FileManager.default.temporaryDirectory.appendingPathComponent("adserve-outside-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: outside) }
            try FileManager.default.createSymbolicLink(at: service.engine.projectDirectory.appendingPathComponent("uploads"), withDestinationURL: outside)
            let upload = try await service.upload(ServiceTests.csv)
            #expect(upload.status == 500 && String(decoding: upload.bytes, as: UTF8.self).contains("outside the project"), "\(String(decoding: upload.bytes, as: UTF8.self))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
            #expect(throws: ProjectPathError.self) { try service.engine.uploadsDirectory() }
            #expect(try service.engine.exportFolder(default: .project).lastPathComponent == "exports")
        } catch {
            try await service.stop()
            throw error
        }
        try await service.stop()
    }
}
