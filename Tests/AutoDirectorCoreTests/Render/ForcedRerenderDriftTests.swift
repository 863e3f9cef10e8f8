import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// A provider whose every picture is another (a model that does not reproduce).
private final class OtherPictureProvider: RenderProvider {
    let name = "other"
    let canHang = false

    func render(_ request: RenderRequest) async throws -> RenderedImage {
        let png = try PNGCodec.encode(PNGCodec.Image(width: 1, height: 1, rgb: [12, 34, 56]))
        return RenderedImage(bytes: png, mime: "image/png", width: 1, height: 1, metadata: [:])
    }
}

/// SPEC §18 drift, both stores: a forced re-render whose picture came out other is recorded,
/// said by `explain`, and leaves the hash's first picture in place; one that reproduced says nothing.
@Suite struct ForcedRerenderDriftTests {
    @Test(arguments: StoreKind.all)
    func aForcedReRenderWithAnotherPictureIsRecordedAndTheFirstStays(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        _ = try engine.enqueueRender(batchID: batch)
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        let version = try engine.version(of: "PROD-001")
        let first = try #require(try engine.artifact(forHash: version.hash))

        _ = try engine.enqueueRender(shots: ["PROD-001"], force: true)
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        #expect(try engine.store.renderDrifts(of: nil).isEmpty, "the same picture again: reproduced")

        _ = try engine.enqueueRender(shots: ["PROD-001"], force: true)
        _ = try await engine.runPendingJobs(provider: OtherPictureProvider(), settings: RenderSettings(concurrency: 2))
        let drifts = try engine.store.renderDrifts(of: [version.hash])[version.hash] ?? []
        #expect(drifts.count == 1 && drifts[0].imageSHA256 != first.imageSHA256)
        #expect(try engine.artifact(forHash: version.hash)?.imageSHA256 == first.imageSHA256, "the first picture stays the hash's")
        let said = try engine.explain("PROD-001").reproducibility.last ?? ""
        #expect(said.hasPrefix("Not reproduced: A forced re-render on 2026-") && said.contains(String(drifts[0].imageSHA256.prefix(12))), "\(said)")
        #expect(try engine.store.renderDrifts(of: [try engine.version(of: "PROD-002").hash]).isEmpty)
    }
}
