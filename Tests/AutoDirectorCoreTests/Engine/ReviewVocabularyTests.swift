import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// The review vocabulary art directors use (SPEC §17): retakes with a note, the shot's retake
/// count, hold and release; every change an audit entry, undoable; on both stores.
@Suite struct ReviewVocabularyTests {
    @Test(arguments: StoreKind.all) func aRetakeNeedsANoteAndIsCounted(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(throws: EngineError.noteRequired(.changesRequested)) { try engine.retake(["PROD-001"], note: " ", reviewer: "ana") }
        // A retake needs no render: "not like this" can be said of a spec too.
        _ = try engine.retake(["PROD-001"], note: "warmer light", reviewer: "ana")
        #expect(try engine.version(of: "PROD-001").review == .changesRequested)
        #expect(try engine.version(of: "PROD-001").reviewNote == "warmer light")
        #expect(try engine.retakeCount(of: "PROD-001") == 1)
        _ = try engine.rerender("PROD-001", patches: [.merge(["camera": ["fov": 50]])])
        #expect(try engine.version(of: "PROD-001").review == .pending, "a new version starts pending")
        _ = try engine.retake(["PROD-001"], note: "still too cold", reviewer: "bo")
        #expect(try engine.retakeCount(of: "PROD-001") == 2, "the shot counts retakes over its versions")
        _ = try engine.undoLastReview(reviewer: "bo")
        #expect(try engine.retakeCount(of: "PROD-001") == 1, "an undone retake is not counted")
        #expect(try engine.version(of: "PROD-001").review == .pending)
        let log = try engine.reviewLog(of: "PROD-001")
        #expect(log.map(\.status) == [.changesRequested, .changesRequested, .pending])
    }

    @Test(arguments: StoreKind.all) func holdAndReleaseOnlyWhatIsOnHold(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        _ = try engine.hold(["PROD-001", "PROD-002"], reviewer: "ana")
        #expect(try engine.version(of: "PROD-002").review == .onHold)
        // Release is all or nothing, like every bulk action: PROD-003 is not on hold.
        let refused = try #require(throws: EngineError.self) { try engine.release(["PROD-001", "PROD-003"], reviewer: "ana") }
        #expect(refused.description.contains("PROD-003 v1 is not on hold (it is pending)"))
        #expect(refused.callerKind == .conflict)
        #expect(try engine.version(of: "PROD-001").review == .onHold)
        let released = try engine.release(["PROD-001", "PROD-002"], reviewer: "ana")
        #expect(released.changed.count == 2)
        #expect(try engine.version(of: "PROD-001").review == .pending)
        let log = try engine.reviewLog(of: "PROD-001")
        #expect(log.map(\.status) == [.onHold, .pending] && log.map(\.previousStatus) == [.pending, .onHold])
        _ = try engine.undoLastReview(reviewer: "ana")
        #expect(try engine.version(of: "PROD-002").review == .onHold, "undo puts it back on hold")
    }

    @Test func labels() {
        #expect(ReviewStatus.changesRequested.label == "changes requested")
        #expect(ReviewStatus.changesRequested.shortLabel == "retake")
        #expect(ReviewStatus.onHold.label == "on hold")
        #expect(ReviewStatus(rawValue: "changes_requested") == .changesRequested)
        #expect(ReviewStatus.allCases.filter(\.needsNote) == [.changesRequested, .rejected])
    }
}
