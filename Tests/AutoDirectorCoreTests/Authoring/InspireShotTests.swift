import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// A new shot from a picture (SPEC §18, `inspire --batch`) on both stores: stored after the
/// batch's file rows with the batch's look, rendered like any shot, left be by a new plan.
@Suite struct InspireShotTests {
    static let picture = (try? PNGCodec.encode(PNGCodec.Image(width: 2, height: 2, rgb: Array(repeating: 90, count: 12)))) ?? []

    @Test(arguments: StoreKind.all)
    func aPictureBecomesTheBatchsLastShot(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let made = try await engine.inspireShot(batchID: batch, id: "MOOD-1", image: Self.picture, fileName: "/tmp/boards/mood.png", note: "backlit", model: MockProvider())
        #expect(made.version.shotID == "MOOD-1" && made.version.number == 1 && made.version.origin == .inspire)
        #expect(made.version.spec["output"] == (try engine.version(of: "PROD-001")).spec["output"], "the batch's look (its preset's output)")
        #expect(made.version.spec["source"]?["image_file"] == "mood.png")
        #expect(made.version.rulesApplied.map(\.kind) == [.inspire, .seed])
        #expect(try engine.shots(batchID: batch).map(\.shot.id) == ["PROD-001", "PROD-002", "PROD-003", "MOOD-1"])
        #expect(try engine.job(made.jobID).total == 1)
        // Deterministic: the same picture and note into another project give the same hash.
        let other = try TestProject(kind)
        let (otherEngine, otherBatch) = try other.plannedSample()
        let twin = try await otherEngine.inspireShot(batchID: otherBatch, id: "MOOD-1", image: Self.picture, fileName: "mood.png", note: "backlit", model: MockProvider())
        #expect(twin.version.hash == made.version.hash && twin.version.seed == made.version.seed)

        await #expect(throws: EngineError.shotIDTaken("PROD-002")) {
            try await engine.inspireShot(batchID: batch, id: "PROD-002", image: Self.picture, fileName: "mood.png", note: nil, model: MockProvider())
        }
        await #expect(throws: InvalidSpecError.self) {
            try await engine.inspireShot(batchID: batch, id: "../up", image: Self.picture, fileName: "mood.png", note: nil, model: MockProvider())
        }
        let second = try await engine.inspireShot(batchID: batch, id: nil, image: Self.picture, fileName: "mood.png", note: nil, model: MockProvider())
        #expect(second.version.shotID.hasPrefix("INSPIRE-"))

        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        #expect(try engine.version(of: "MOOD-1").renderStatus == .rendered)
        let replanned = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
        #expect(replanned.shots == 3 && replanned.unchanged == 3, "a plan reads the file's rows only")
        #expect(try engine.shots(batchID: batch).count == 5)
        let explained = try engine.explain("MOOD-1")
        #expect(explained.source == nil, "no source row")
        #expect(explained.reproducibility.contains { $0.hasPrefix("The shot began as a picture read by the prompt model") })
    }
}
