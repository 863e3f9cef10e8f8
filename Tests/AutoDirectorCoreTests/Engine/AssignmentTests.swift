import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// Assignment (SPEC §17): bulk, all or nothing, logged; "my queue" is the shots assigned to a
/// reviewer still pending; on both stores.
@Suite struct AssignmentTests {
    @Test(arguments: StoreKind.all) func assignUnassignAndMyQueue(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let assigned = try engine.assign(["PROD-001", "PROD-002", "PROD-001"], to: " ana ", reviewer: "lead")
        #expect(assigned.changed == ["PROD-001", "PROD-002"] && assigned.unchanged.isEmpty)
        #expect(try engine.assignee(of: "PROD-001") == "ana")
        #expect(try engine.assign(["PROD-002", "PROD-003"], to: "ana", reviewer: "lead") == AssignmentOutcome(changed: ["PROD-003"], unchanged: ["PROD-002"]))
        #expect(try engine.shotIDs(matching: ShotQuery(assignee: "ana")) == ["PROD-001", "PROD-002", "PROD-003"])
        // Decided shots leave the queue.
        _ = try engine.retake(["PROD-002"], note: "warmer", reviewer: "ana")
        #expect(try engine.shotIDs(matching: ShotQuery(assignee: "ana", awaitingDecision: true)) == ["PROD-001", "PROD-003"])
        #expect(try engine.shotPage(ShotQuery(assignee: "ana", awaitingDecision: true)).total == 2)
        #expect(try engine.shotIDs(matching: ShotQuery(assignee: "bo")).isEmpty)

        _ = try engine.unassign(["PROD-003"], reviewer: "lead")
        #expect(try engine.unassign(["PROD-001", "PROD-003"], reviewer: "lead") == AssignmentOutcome(changed: ["PROD-001"], unchanged: ["PROD-003"]))
        #expect(try engine.assignee(of: "PROD-001") == nil)
        #expect(try engine.assign(["PROD-001"], to: "bo", reviewer: "lead").changed == ["PROD-001"])
        #expect(try engine.assignmentLog(of: "PROD-001").map { "\($0.assignee ?? "-") by \($0.reviewer)" } == ["ana by lead", "- by lead", "bo by lead"])
    }

    @Test(arguments: StoreKind.all) func aWrongListOrNameChangesNothing(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(throws: EngineError.unknownShot("NOPE")) { try engine.assign(["PROD-001", "NOPE"], to: "ana", reviewer: "lead") }
        #expect(try engine.assignee(of: "PROD-001") == nil, "all or nothing")
        for bad in ["", "  ", "ana\u{1B}[31m", String(repeating: "x", count: 101)] {
            #expect(throws: EngineError.self) { try engine.assign(["PROD-001"], to: bad, reviewer: "lead") }
        }
        #expect(EngineError.invalidAssignee("x").callerKind == .invalid)
        #expect(try engine.assignmentLog(of: "PROD-001").isEmpty)
    }
}
