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
