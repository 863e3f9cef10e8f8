import Foundation
import Testing
@testable import AutoDirectorCore

/// A provider whose submission could not be recorded: the shared database went away.
private struct OutageProvider: RenderProvider {
    let name = "outage"
    let canHang = false

    func render(_ request: RenderRequest) async throws -> RenderedImage {
        throw StoreError.unreachable("postgres://u:***@127.0.0.1:1/db", "the connection was lost while a statement waited for its answer")
    }
}

/// A render whose provider call met a database outage is not an item's failure: the job's loop
/// ends as an outage ends it, and the worker gives the item back when the database returns.
@Suite struct HashRendererOutageTests {
    @Test func aDatabaseOutageDuringARenderIsNotTheItemsFailure() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("adoutage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let renderer = HashRenderer(files: ArtifactFiles(projectDirectory: directory), provider: OutageProvider(), settings: RenderSettings(concurrency: 1))
        let spec: JSONObject = ["shot_id": "A-1", "subject": "a lamp"]
        let result = await renderer.render(RenderRequest(shotID: "A-1", version: 1, hash: String(repeating: "a", count: 64), spec: spec, seed: 7))
        #expect(result.outage?.isUnreachable == true && result.artifact == nil && result.attempts == 1, "an outage, not the item's failure, not retried")
    }
}
