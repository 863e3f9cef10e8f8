import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// Policy the engine owns (the store only reports what it finds), and the engine actions the
/// TUI and the service call instead of composing store calls themselves.
@Suite struct EngineLayerTests {
    static let target = ReviewTarget(shotID: "S", version: 2)

    @Test func theReviewPolicyRefusesMissingAndUnrenderedVersionsAndSkipsNoOps() {
        func verdict(_ candidate: ReviewCandidate, _ action: ReviewAction, note: String? = nil) -> String {
            switch ReviewPolicy.verdict(on: candidate, action: action, note: note) {
            case .change: return "change"
            case .unchanged: return "unchanged"
            case .refused(let reason): return "refused: \(reason.description)"
            }
        }
        #expect(verdict(.noShot("X"), .reject) == "refused: \(EngineError.unknownShot("X"))")
        #expect(verdict(.noVersion("S", 9), .approve) == "refused: \(EngineError.unknownVersion("S", 9))")
        #expect(verdict(.version(Self.target, current: .pending, stages: [], render: .queued), .approve)
            == "refused: \(EngineError.notRendered("S", 2, .queued))")
        // Rejecting needs no image: a reviewer may reject a spec before it renders.
        #expect(verdict(.version(Self.target, current: .pending, stages: [], render: .queued), .reject) == "change")
        #expect(verdict(.version(Self.target, current: .approved, stages: [], render: .rendered), .approve) == "unchanged")
        #expect(verdict(.version(Self.target, current: .rejected, stages: [], render: .rendered), .reject, note: "still soft") == "change", "a new note is logged")
        // Approving again with a note keeps the note (issue 19, defect 2); a blank note is no note.
        #expect(verdict(.version(Self.target, current: .approved, stages: [], render: .rendered), .approve, note: "hero shot") == "change")
        #expect(verdict(.version(Self.target, current: .approved, stages: [], render: .rendered), .approve, note: " \n") == "unchanged")
        #expect(verdict(.version(Self.target, current: .onHold, stages: [], render: .rendered), .release) == "change")
        #expect(verdict(.version(Self.target, current: .approved, stages: [], render: .rendered), .release)
            == "refused: \(EngineError.notOnHold("S", 2, .approved))", "only a version on hold is released")
    }

    @Test(arguments: StoreKind.all) func aRefusedActionStoresNothingAndSaysWhyForEachShot(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        try project.markRendered(engine, "PROD-001")
        #expect(throws: EngineError.reviewRefused([
            EngineError.notRendered("PROD-002", 1, .notRendered), EngineError.unknownShot("NOPE"),
        ])) { try engine.approve(["PROD-001", "PROD-002", "NOPE"], reviewer: "ana") }
        #expect(try engine.version(of: "PROD-001").review == .pending)
    }

    @Test(arguments: StoreKind.all) func undoReportsWhyThereIsNothingToUndo(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        #expect(throws: EngineError.nothingToUndo("ana")) { try engine.undoLastReview(reviewer: "ana") }
        let action = try #require(try engine.reject(["PROD-001"], note: "dark", reviewer: "ana").actionID)
        _ = try engine.reject(["PROD-001"], note: "still dark", reviewer: "ben")
        _ = try engine.approve([], reviewer: "ben")
        try project.markRendered(engine, "PROD-001")
        _ = try engine.approve(["PROD-001"], reviewer: "ben")
        #expect(throws: EngineError.undoSuperseded(action)) { try engine.undoLastReview(reviewer: "ana") }
    }

    @Test(arguments: StoreKind.all) func rerenderQueuesWhatIsMissingAndOtherwiseRendersAgain(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        try project.markRendered(engine, "PROD-001")
        let first = try #require(try engine.enqueueRerender(shots: ["PROD-001", "PROD-002"]))
        #expect(try engine.jobItems(first).map(\.shotID) == ["PROD-002"], "only the unrendered shot, while one is missing")
        let again = try #require(try engine.enqueueRerender(shots: ["PROD-001"]))
        #expect(try engine.job(again).force)
        #expect(try engine.jobItems(again).map(\.shotID) == ["PROD-001"])
    }

    @Test(arguments: StoreKind.all) func anEditedSpecMustBeJSONAndBecomesTheNextVersion(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        var spec = try engine.version(of: "PROD-003").spec
        var camera = try #require(spec["camera"]?.objectValue)
        camera["fov"] = 60
        spec["camera"] = .object(camera)
        let edited = JSONWriter.compact(.object(spec))
        #expect(throws: (any Error).self) { try engine.rerender("PROD-003", replacingSpecWith: "{not json") }
        #expect(try engine.version(of: "PROD-003").number == 1)
        let result = try engine.rerender("PROD-003", replacingSpecWith: edited)
        #expect(result.version.number == 2)
        #expect(result.version.spec["camera"]?["fov"] == 60)
    }

    @Test(arguments: StoreKind.all) func exportingEveryBatchWritesOneBundleEach(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let other = try engine.ingest(try project.file("more.csv", "sku,product_name\nM-1,Lamp\n")).batchID
        _ = try engine.plan(batchID: other)
        let out = project.root.appendingPathComponent("exports")
        let results = try engine.export(batchIDs: nil, options: ExportOptions(directory: out, zip: false))
        #expect(results.map(\.directory.lastPathComponent) == [batch, other].sorted())
        #expect(throws: EngineError.unknownBatch("nope", known: [batch, other].sorted())) {
            try engine.export(batchIDs: ["nope"], options: ExportOptions(directory: out, zip: false))
        }
    }

    /// One place chooses where an export goes (issue 21, deliverable 5): a folder the user named
    /// as given, else `./exports` for the terminal's faces, else the project's `exports/` for the
    /// service — refused when a link in the project leads it outside.
    @Test func theEngineChoosesTheExportFolder() throws {
        let project = try TestProject()
        let engine = try project.engine()
        let named = project.root.appendingPathComponent("bundles", isDirectory: true)
        #expect(try engine.exportFolder(named, default: .project) == named)
        #expect(try engine.exportFolder(default: .workingDirectory) == URL(fileURLWithPath: "exports", isDirectory: true))
        #expect(try engine.exportFolder(default: .project) == engine.projectDirectory.appendingPathComponent("exports"))
        let outside = project.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: engine.projectDirectory.appendingPathComponent("exports"), withDestinationURL: outside)
        #expect(throws: ProjectPathError.self) { try engine.exportFolder(default: .project) }
    }

    /// Each face reports a caller's mistake by its kind (issue 21, deliverable 3): a refusal
    /// stays typed, and one whose every reason is something missing is "not found".
    @Test func callerErrorsHaveKinds() {
        #expect(EngineError.unknownShot("X").callerKind == .notFound)
        #expect(EngineError.reviewRefused([.unknownShot("X"), .unknownVersion("Y", 2)]).callerKind == .notFound)
        #expect(EngineError.reviewRefused([.unknownShot("X"), .notRendered("S", 1, .queued)]).callerKind == .conflict)
        #expect(EngineError.shotNotPlanned("X").callerKind == .conflict)
        #expect(EngineError.emptyPatch.callerKind == .invalid)
        #expect(PatchTooLargeError(limit: .operations(1)).callerKind == .invalid)
        #expect(JSONParseError(message: "x", line: 1, column: 1, offset: 0).callerKind == .invalid)
        #expect(AssetError(location: "preset nope", message: "no such preset").callerKind == .invalid)
        // An upload that cannot be read as a batch is refused as a whole.
        #expect(IngestError(file: "x.csv", problems: [IngestProblem(line: 1, message: "the file has a header but no rows")]).callerKind == .malformed)
    }
}
