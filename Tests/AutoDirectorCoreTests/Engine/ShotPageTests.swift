import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct ShotPageTests {
    @Test(arguments: StoreKind.all) func windowsFilterAndSortTheBatchTable(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let all = try engine.shotPage(ShotQuery(batchID: batch))
        #expect(all.total == 3 && all.rows.map(\.shot.id) == ["PROD-001", "PROD-002", "PROD-003"])
        let window = try engine.shotPage(ShotQuery(batchID: batch, offset: 1, limit: 1))
        #expect(window.total == 3 && window.offset == 1 && window.rows.map(\.shot.id) == ["PROD-002"])
        #expect(try engine.shotPage(ShotQuery(filter: "mug")).rows.map(\.shot.id) == ["PROD-003"])
        #expect(try engine.shotPage(ShotQuery(filter: "50%_\\")).total == 0)
        try project.markRendered(engine, "PROD-002")
        _ = try engine.approve(["PROD-002"], reviewer: "ana")
        let approved = try engine.shotPage(ShotQuery(filter: "approved"))
        #expect(approved.total == 1 && approved.rows.first?.review == .approved)
        #expect(try engine.shotPage(ShotQuery(filter: "rendered")).rows.map(\.shot.id) == ["PROD-002"])
        let bySubject = try engine.shotPage(ShotQuery(sort: .subject))
        #expect(bySubject.rows.map(\.shot.subject) == ["Ceramic Coffee Mug", "Macro Camera Lens", "Wireless Headphones"])
        let byReview = try engine.shotPage(ShotQuery(sort: .review))
        #expect(byReview.rows.first?.shot.id == "PROD-002")
    }
}
