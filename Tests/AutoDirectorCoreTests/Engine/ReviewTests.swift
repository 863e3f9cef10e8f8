import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct ReviewTests {
    @Test(arguments: StoreKind.all) func approvingAnUnrenderedVersionIsRefused(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let error = try #require(throws: EngineError.self) { try engine.approve(["PROD-001"], reviewer: "ana") }
        #expect(error.description.hasPrefix("Cannot approve PROD-001 v1: it has not been rendered"))
        #expect(try engine.reviewLog(of: "PROD-001").isEmpty)
    }

    @Test(arguments: StoreKind.all) func approveRejectAndAuditLog(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        try project.markRendered(engine, "PROD-001")
        let outcome = try engine.approve(["PROD-001"], note: "great", reviewer: "ana")
        #expect(outcome.changed == [ReviewTarget(shotID: "PROD-001", version: 1)])
        #expect(try engine.version(of: "PROD-001").review == .approved)
        #expect(throws: EngineError.noteRequired(.rejected)) { try engine.reject(["PROD-001"], note: "  ", reviewer: "ana") }
        _ = try engine.reject(["PROD-001"], note: "logo blurred", reviewer: "bo")
        let log = try engine.reviewLog(of: "PROD-001")
        #expect(log.map(\.status) == [.approved, .rejected])
        #expect(log.map(\.previousStatus) == [.pending, .approved])
        #expect(log.last?.reviewer == "bo" && log.last?.note == "logo blurred")
        let version = try engine.version(of: "PROD-001")
        #expect(version.review == .rejected && version.reviewNote == "logo blurred")
    }

    @Test(arguments: StoreKind.all) func bulkReviewIsAllOrNothing(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        try project.markRendered(engine, "PROD-001")
        try project.markRendered(engine, "PROD-002")
        let refused = try #require(throws: EngineError.self) { try engine.approve(["PROD-001", "PROD-003", "NOPE"], reviewer: "ana") }
        guard case .reviewRefused(let reasons) = refused else { Issue.record("unexpected \(refused)"); return }
        #expect(reasons.count == 2)
        #expect(try engine.version(of: "PROD-001").review == .pending)

        let bulk = try engine.approve(["PROD-001", "PROD-002"], reviewer: "ana")
        #expect(bulk.changed.count == 2)
        let undo = try engine.undoLastReview(reviewer: "ana")
        #expect(undo.changed.count == 2)
        #expect(try engine.version(of: "PROD-001").review == .pending)
        #expect(try engine.version(of: "PROD-002").review == .pending)
        #expect(try engine.reviewLog(of: "PROD-001").count == 2)
        #expect(throws: EngineError.nothingToUndo("ana")) { try engine.undoLastReview(reviewer: "ana") }
    }

    @Test(arguments: StoreKind.all) func reviewAppliesToOneVersion(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        try project.markRendered(engine, "PROD-001")
        _ = try engine.rerender("PROD-001", patches: [.assignments([try DottedAssignment(parsing: "camera.fov=50")])])
        _ = try engine.approve(["PROD-001"], version: 1, reviewer: "ana")
        #expect(try engine.version(of: "PROD-001", number: 1).review == .approved)
        #expect(try engine.version(of: "PROD-001", number: 2).review == .pending)
        #expect(throws: EngineError.self) { try engine.approve(["PROD-001"], reviewer: "ana") }
    }

    @Test(arguments: StoreKind.all) func undoNeverOverwritesAnotherReviewersAction(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        try project.markRendered(engine, "PROD-001")
        _ = try engine.approve(["PROD-001"], reviewer: "ana")
        _ = try engine.reject(["PROD-001"], note: "logo", reviewer: "bo")
        #expect(throws: EngineError.self) { try engine.undoLastReview(reviewer: "ana") }
        #expect(try engine.version(of: "PROD-001").review == .rejected)
    }

    @Test(arguments: StoreKind.all) func aShotNamedTwiceIsReviewedOnce(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let outcome = try engine.reject(["PROD-002", "PROD-002"], note: "dark", reviewer: "ana")
        #expect(outcome.changed.count == 1)
        _ = try engine.undoLastReview(reviewer: "ana")
        #expect(try engine.version(of: "PROD-002").review == .pending)
    }
}
