import Foundation
import Synchronization
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// Filters that combine, and "new since I last looked" (SPEC §17), on both stores.
@Suite struct ShotFilterTests {
    @Test func termsAreReadAndMistakesSaid() throws {
        let stages = try ApprovalStages(parsing: "art, brand, legal")
        let context = ShotFilter.Context(me: "ana", stages: stages)
        let filter = try ShotFilter.parse("Status:pending,HOLD render:failed stage:brand assignee:@me notes:open retakes>=2 mug", context)
        #expect(filter.statuses == [.pending, .onHold] && filter.renders == [.failed] && filter.words == ["mug"])
        #expect(filter.awaitingStage == ShotFilter.StageWait(name: "brand", approvedBefore: "art"))
        #expect(filter.assignee == .named("ana") && filter.openNotes && filter.minimumRetakes == 2)
        #expect(try ShotFilter.parse("assignee:none retakes:1", context).assignee == .nobody)
        #expect(try ShotFilter.parse("new", context).changedSince == .distantPast, "never visited: everything is new")
        #expect(throws: ShotFilterError.unknownKey("colour")) { try ShotFilter.parse("colour:red", context) }
        for bad in ["status:great", "render:done", "stage:finance", "notes:all", "retakes>=x", "retakes:-1", "size>=2", "status:"] {
            #expect(throws: ShotFilterError.self, "\(bad)") { try ShotFilter.parse(bad, context) }
        }
        #expect(throws: ShotFilterError.self) { try ShotFilter.parse("stage:art", ShotFilter.Context(me: "ana")) }
    }

    @Test(arguments: StoreKind.all) func termsCombine(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        for id in ["PROD-001", "PROD-002", "PROD-003"] { try project.markRendered(engine, id) }
        try engine.setProjectSetting("stages", to: "art, brand")
        _ = try engine.approve(["PROD-001", "PROD-002"], stage: "art", reviewer: "ana")
        _ = try engine.approve(["PROD-002"], stage: "brand", reviewer: "bo")
        _ = try engine.retake(["PROD-003"], note: "warmer", reviewer: "bo")
        _ = try engine.writeNote("PROD-001", text: "logo", author: "bo")
        _ = try engine.assign(["PROD-001", "PROD-003"], to: "ana", reviewer: "lead")
        func ids(_ terms: String, me: String = "ana") throws -> [String] {
            try engine.shotIDs(matching: ShotQuery(filter: terms, reviewer: me))
        }
        #expect(try ids("stage:brand") == ["PROD-001"], "art has approved it, brand has not")
        #expect(try ids("stage:art").isEmpty)
        #expect(try ids("status:pending,retake") == ["PROD-001", "PROD-003"])
        #expect(try ids("assignee:@me notes:open") == ["PROD-001", "PROD-003"], "a retake's note is an open note")
        #expect(try ids("notes:open assignee:none").isEmpty)
        #expect(try ids("assignee:@me retakes>=1") == ["PROD-003"])
        #expect(try ids("assignee:none") == ["PROD-002"])
        #expect(try ids("retakes:2").isEmpty)
        #expect(try ids("render:rendered mug") == ["PROD-003"])
        #expect(try ids("approved") == ["PROD-002"], "a bare status word still matches exactly")
        #expect(try engine.shotPage(ShotQuery(filter: "assignee:@me", reviewer: "ana")).total == 2)
        #expect(throws: ShotFilterError.self) { try engine.shotPage(ShotQuery(filter: "stage:legal")) }
        // An undone retake is not counted.
        _ = try engine.undoLastReview(reviewer: "bo")
        #expect(try ids("retakes>=1").isEmpty)
    }

    @Test(arguments: StoreKind.all) func whatOthersChangedSinceMyLastVisitIsNew(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (_, _) = try project.plannedSample()
        // A clock that moves: visits and changes in order.
        let now = SteppedClock(start: TestProject.fixedDate)
        let engine = try Engine(projectDirectory: project.directory, database: project.database, mode: .existing, clock: now.read)
        now.advance()
        #expect(try engine.recordVisit(reviewer: "ana") == nil, "the first visit")
        now.advance()
        _ = try engine.writeNote("PROD-002", text: "crop", author: "bo")
        _ = try engine.writeNote("PROD-003", text: "mine", author: "ana")
        _ = try engine.assign(["PROD-001"], to: "ana", reviewer: "ana")
        now.advance()
        let previous = try #require(try engine.recordVisit(reviewer: "ana"))
        #expect(previous == TestProject.fixedDate.addingTimeInterval(1))
        let latest = try #require(try engine.lastVisit(reviewer: "ana"))
        #expect(try engine.shotIDs(matching: ShotQuery(filter: "new", reviewer: "ana", lastVisit: latest)).isEmpty, "nothing since")
        #expect(try engine.shotIDs(matching: ShotQuery(filter: "new", reviewer: "ana", lastVisit: previous)) == ["PROD-002"], "my own changes are not new")
        let page = try engine.shotPage(ShotQuery(reviewer: "ana", lastVisit: previous))
        #expect(page.rows.map(\.isNew) == [false, true, false])
        #expect(try engine.shotPage(ShotQuery(reviewer: "ana")).rows.allSatisfy { !$0.isNew }, "no visit given: nothing marked")
    }
}

/// A clock a test moves by hand, one second a step.
final class SteppedClock: Sendable {
    private let now: Mutex<Date>
    init(start: Date) { now = Mutex(start) }
    func advance() { now.withLock { $0 = $0.addingTimeInterval(1) } }
    var read: @Sendable () -> Date { { [self] in now.withLock { $0 } } }
}
