import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// Approval stages (SPEC §17): a shot is approved once every stage has approved it, in order;
/// any other decision starts the stages over; undo restores them; on both stores.
@Suite struct ApprovalStageTests {
    @Test func stagesAreReadCheckedAndShownAsProgress() throws {
        let stages = try ApprovalStages(parsing: " art,  brand ")
        #expect(stages.names == ["art", "brand"] && stages.text == "art, brand" && stages.isStaged)
        #expect(try ApprovalStages(parsing: "").names.isEmpty)
        #expect(throws: ApprovalStagesError.invalidName("Art")) { try ApprovalStages(parsing: "Art, brand") }
        #expect(throws: ApprovalStagesError.invalidName("a\u{1B}[31m")) { try ApprovalStages(parsing: "a\u{1B}[31m") }
        #expect(throws: ApprovalStagesError.repeated("art")) { try ApprovalStages(parsing: "art brand art") }
        #expect(throws: ApprovalStagesError.tooMany(9)) { try ApprovalStages(parsing: "a b c d e f g h i") }
        #expect(throws: ApprovalStagesError.stageRequired(["art", "brand"])) { try stages.stage(for: nil) }
        #expect(throws: ApprovalStagesError.unknownStage("legal", known: ["art", "brand"])) { try stages.stage(for: "legal") }
        #expect(try ApprovalStages(parsing: "art").stage(for: nil) == "art", "one named stage needs no name")
        #expect(try ApprovalStages.single.stage(for: nil) == nil)
        #expect(stages.progress(approved: ["art"], status: .pending) == "art ✓ brand ·")
        #expect(stages.progress(approved: [], status: .approved, ascii: true) == "art + brand +", "approved: every stage")
        #expect(ApprovalStages.single.progress(approved: [], status: .pending).isEmpty)
    }

    @Test(arguments: StoreKind.all) func approvedOnlyWhenEveryStageHasInOrder(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        for id in ["PROD-001", "PROD-002"] { try project.markRendered(engine, id) }
        #expect(try engine.setProjectSetting("stages", to: "art,brand") == "art, brand")

        #expect(throws: ApprovalStagesError.stageRequired(["art", "brand"])) { try engine.approve(["PROD-001"], reviewer: "ana") }
        #expect(throws: ApprovalStagesError.stageOnlyForApproval("retake", "art")) {
            try engine.review(.retake, ["PROD-001"], note: "warmer", stage: "art", reviewer: "ana")
        }
        #expect(throws: EngineError.reviewRefused([.stageOutOfOrder("PROD-001", 1, stage: "brand", awaiting: "art")])) {
            try engine.approve(["PROD-001"], stage: "brand", reviewer: "bo")
        }
        _ = try engine.approve(["PROD-001", "PROD-002"], stage: "art", reviewer: "ana")
        var first = try engine.version(of: "PROD-001")
        #expect(first.review == .pending && first.approvedStages == ["art"], "one stage of two: still pending")
        #expect(try engine.approve(["PROD-001"], stage: "art", reviewer: "ana").changed.isEmpty, "again at the same stage: unchanged")

        _ = try engine.approve(["PROD-001"], stage: "brand", reviewer: "bo")
        first = try engine.version(of: "PROD-001")
        #expect(first.review == .approved && first.approvedStages == ["art", "brand"])
        let page = try engine.shotPage(ShotQuery())
        #expect(page.rows.map(\.approvedStages) == [["art", "brand"], ["art"], []])
        #expect(try engine.shotIDs(matching: ShotQuery(filter: "approved")) == ["PROD-001"])

        // A retake at any stage sends the shot back: the stages start over.
        _ = try engine.retake(["PROD-002"], note: "the brand wants it warmer", reviewer: "bo")
        let second = try engine.version(of: "PROD-002")
        #expect(second.review == .changesRequested && second.approvedStages.isEmpty)
        // Undo restores the stages with the status.
        _ = try engine.undoLastReview(reviewer: "bo")
        #expect(try engine.version(of: "PROD-002").approvedStages == ["art"])
        _ = try engine.undoLastReview(reviewer: "bo")
        first = try engine.version(of: "PROD-001")
        #expect(first.review == .pending && first.approvedStages == ["art"])

        let log = try engine.auditLog(of: "PROD-001").map(\.action)
        #expect(log == ["approved at art", "approved at brand", "undo → pending"])
        #expect(try engine.reviewLog(of: "PROD-001").map(\.stage) == ["art", "brand", nil])
    }

    @Test(arguments: StoreKind.all) func stagesAreTheProjectsOwnForEveryMachine(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(try engine.approvalStages() == .single)
        #expect(try engine.projectSettings().map { "\($0.setting.rawValue) = \($0.value)" } == ["stages = "])
        try engine.setProjectSetting("stages", to: "art brand")
        let other = try engine.secondMachine(of: project)
        #expect(try other.approvalStages().names == ["art", "brand"])
        #expect(throws: UnknownSettingError(key: "colour")) { try other.setProjectSetting("colour", to: "red") }
        #expect(throws: ApprovalStagesError.invalidName("BRAND")) { try other.setProjectSetting("stages", to: "art, BRAND") }
        #expect(try engine.approvalStages().names == ["art", "brand"], "a refused value changes nothing")
        try other.setProjectSetting("stages", to: "")
        #expect(try engine.approvalStages() == .single)
        // Back to one stage: `approve` alone approves, as always.
        try project.markRendered(engine, "PROD-003")
        _ = try engine.approve(["PROD-003"], reviewer: "ana")
        #expect(try engine.version(of: "PROD-003").review == .approved)
    }
}
