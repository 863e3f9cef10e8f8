import Foundation
import Testing
@testable import AutoDirectorCore

@Suite struct ChangeWatcherTests {
    @Test func aCommitByAnotherConnectionIsNoticedOnceAndReadsAreNot() throws {
        let project = try TestProject()
        let (engine, batch) = try project.plannedSample()
        let watcher = try engine.changeWatcher()
        #expect(try !watcher.changed(), "nothing was committed since it was made")
        _ = try engine.shotPage(ShotQuery(batchID: batch))
        #expect(try !watcher.changed(), "reads are not changes")
        // Another writer, as a second process would be.
        let other = try project.engine(mode: .existing)
        try project.markRendered(other, "PROD-001")
        _ = try other.approve(["PROD-001"], reviewer: "ben")
        #expect(try watcher.changed())
        #expect(try !watcher.changed(), "each commit is reported once")
    }

    /// The process's own writes are reported by whoever made them: the watcher stays quiet,
    /// and another connection's commit beside them is still noticed.
    @Test func thisProcesssOwnCommitsAreNotReported() throws {
        let project = try TestProject()
        let (engine, _) = try project.plannedSample()
        let watcher = try engine.changeWatcher()
        try project.markRendered(engine, "PROD-001")
        try project.markRendered(engine, "PROD-002")
        _ = try engine.approve(["PROD-001"], reviewer: "ana")
        _ = try engine.reject(["PROD-002"], note: "too dark", reviewer: "ana")
        #expect(try !watcher.changed(), "commits of this engine's own writer")
        let other = try project.engine(mode: .existing)
        _ = try engine.undoLastReview(reviewer: "ana")
        _ = try other.reject(["PROD-001"], note: "blurry", reviewer: "ben")
        _ = try engine.approve(["PROD-001"], reviewer: "ana")
        #expect(try watcher.changed(), "another writer's commit, between two of ours")
        #expect(try !watcher.changed())
    }

    @Test func unplannedShotsAreNeitherCountedNorListed() throws {
        let project = try TestProject()
        let engine = try project.engine()
        let batch = try engine.ingest(try project.file("p.csv", TestProject.sampleCSV)).batchID
        let page = try engine.shotPage(ShotQuery())
        #expect(page.total == 0 && page.rows.isEmpty)
        _ = try engine.plan(batchID: batch)
        let planned = try engine.shotPage(ShotQuery())
        #expect(planned.total == planned.rows.count)
        #expect(try engine.shotIDs(matching: ShotQuery(batchID: batch, filter: "mug")) == ["PROD-003"])
    }
}
