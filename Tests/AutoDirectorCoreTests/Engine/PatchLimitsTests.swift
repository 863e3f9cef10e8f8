import Foundation
import Testing
@testable import AutoDirectorCore

/// Issue 19, defect 1: a small JSON Patch whose copies double the spec at each step, or one of
/// 100,000 operations, is refused by `PatchLimits` as soon as it crosses one — and it is applied
/// outside the write transaction, so no other writer waits on it.
@Suite struct PatchLimitsTests {
    private func plannedEngine(_ project: TestProject, limits: PatchLimits = .standard) throws -> Engine {
        let engine = try Engine(projectDirectory: project.directory, mode: .create, clock: { TestProject.fixedDate }, patchLimits: limits)
        let batch = try engine.ingest(try project.file("s.csv", TestProject.sampleCSV)).batchID
        _ = try engine.plan(batchID: batch)
        return engine
    }

    /// The reproducer's shape: each level holds two copies of the level below, so the spec
    /// doubles with every two operations while it nests only one level deeper.
    static func doublingPatch(levels: Int) -> String {
        var operations = [#"{"op":"add","path":"/l0","value":["a","b"]}"#]
        for level in 1...levels {
            operations.append(#"{"op":"add","path":"/l\#(level)","value":[]}"#)
            for _ in 0..<2 { operations.append(#"{"op":"copy","from":"/l\#(level - 1)","path":"/l\#(level)/-"}"#) }
        }
        return "[" + operations.joined(separator: ",") + "]"
    }

    static func manyAdds(_ count: Int) -> String {
        "[" + (0..<count).map { #"{"op":"add","path":"/k\#($0)","value":\#($0)}"# }.joined(separator: ",") + "]"
    }

    @Test func aDoublingCopyPatchIsRefusedAndStoresNothing() throws {
        let project = try TestProject()
        let engine = try plannedEngine(project)
        let text = Self.doublingPatch(levels: 40)
        #expect(text.utf8.count < 7_000)
        let patches = try ShotPatch.parse(arguments: [text])
        let error = try #require(throws: PatchTooLargeError.self) { try engine.rerender("PROD-001", patches: patches) }
        #expect(error.limit == .values(PatchLimits.standard.maxValues))
        #expect(error.description.contains("nothing was stored"))
        #expect(try engine.versions(of: "PROD-001").count == 1)
        #expect(try engine.jobs().isEmpty)
    }

    @Test func aPatchJustUnderTheValueLimitIsApplied() throws {
        var limits = PatchLimits.standard
        limits.maxValues = 5_000
        func apply(levels: Int) throws -> JSONValue {
            var work = PatchWork(limits: limits)
            let document = JSONValue.object([:])
            try work.measure(document)
            return try JSONPatch(parsing: try JSONParser.parse(Self.doublingPatch(levels: levels))).apply(to: document, work: &work)
        }
        // Level n holds 2^(n+2) - 1 values: 4,083 in all up to level 9, 8,178 up to level 10.
        var check = PatchWork(limits: limits)
        try check.measure(try apply(levels: 9))
        #expect(check.values == 4_083)
        #expect(throws: PatchTooLargeError(limit: .values(5_000))) { try apply(levels: 10) }
    }

    @Test func aHundredThousandOperationsAreRefusedAtTheOperationLimit() throws {
        let project = try TestProject()
        // The standard limits but a time budget no loaded test run reaches: the count is tested.
        var limits = PatchLimits.standard
        limits.timeBudget = .seconds(600)
        let engine = try plannedEngine(project, limits: limits)
        let patches = try ShotPatch.parse(arguments: [Self.manyAdds(100_000)])
        #expect(throws: PatchTooLargeError(limit: .operations(1_000))) { try engine.rerender("PROD-001", patches: patches) }
        // Dotted assignments count one operation each, across patches.
        let assignments = (0..<1_001).map { "attributes.k\($0)=\($0)" }
        #expect(throws: PatchTooLargeError(limit: .operations(1_000))) {
            try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: assignments))
        }
        #expect(try engine.versions(of: "PROD-001").count == 1)
    }

    @Test func copyingASubtreeIntoItselfPastTheDepthLimitIsRefused() throws {
        let project = try TestProject()
        let engine = try plannedEngine(project)
        // Each copy nests the chain under its own deepest member: it doubles in depth (and size)
        // with each operation, past what the validator could even walk after seven.
        var operations = [#"{"op":"add","path":"/d","value":{}}"#]
        var path = "/d"
        for _ in 0..<70 {
            operations.append(#"{"op":"copy","from":"/d","path":"\#(path)/x"}"#)
            path += "/x"
        }
        let patches = try ShotPatch.parse(arguments: ["[" + operations.joined(separator: ",") + "]"])
        let error = try #require(throws: PatchTooLargeError.self) { try engine.rerender("PROD-001", patches: patches) }
        #expect(error.limit == .depth)
    }

    @Test func theTimeBudgetStopsAPatch() throws {
        let spec = JSONValue.object(["a": .array([0, 1])])
        var work = PatchWork(limits: .standard, expired: { true })
        // The clock is asked before each operation (and every 4,096 values visited): the first
        // operation already finds the budget spent.
        try work.measure(spec)
        let patch = try JSONPatch(parsing: try JSONParser.parse(#"[{"op":"test","path":"/a/0","value":0}]"#))
        #expect(throws: PatchTooLargeError(limit: .time(PatchLimits.standard.timeBudget))) { try patch.apply(to: spec, work: &work) }
    }

    @Test func sizesFollowEachOperation() throws {
        var work = PatchWork()
        let start = try JSONParser.parse(#"{"a":[1,2,3],"b":{"c":true}}"#)
        try work.measure(start)
        #expect(work.values == 7)
        let patch = try JSONPatch(parsing: try JSONParser.parse("""
            [{"op":"copy","from":"/a","path":"/b/a"},{"op":"remove","path":"/a/0"},{"op":"replace","path":"/b/c","value":[1]},
             {"op":"move","from":"/b/a","path":"/a"},{"op":"add","path":"/b/n","value":null}]
            """))
        let result = try patch.apply(to: start, work: &work)
        var check = PatchWork()
        try check.measure(result)
        #expect(work.values == check.values)
    }

    @Test func limitsAreReadFromTheEnvironment() throws {
        let limits = try PatchLimits(environment: [
            PatchLimits.operationsVariable: "50", PatchLimits.valuesVariable: "2000000", PatchLimits.secondsVariable: "5",
        ])
        #expect(limits.maxOperations == 50)
        #expect(limits.maxValues == 2_000_000)
        #expect(limits.maxVisits == 200_000_000)
        #expect(limits.timeBudget == .seconds(5))
        #expect(try PatchLimits(environment: [:]) == .standard)
        let error = try #require(throws: PatchLimitsError.self) { try PatchLimits(environment: [PatchLimits.operationsVariable: "lots"]) }
        #expect(error.message.hasPrefix("\(PatchLimits.operationsVariable) must be a whole number"))
    }

    /// The patch is applied before the write transaction: a version stored meanwhile is not
    /// overwritten by a patch computed from the one before it.
    @Test func aVersionStoredWhileAPatchWasAppliedIsNotLost() throws {
        let project = try TestProject()
        let engine = try plannedEngine(project)
        let base = try engine.version(of: "PROD-001")
        let stale = try Patcher.apply(try ShotPatch.parse(arguments: ["camera.fov=61"]), to: base)
        _ = try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: ["camera.fov=62"]))
        let outcome = try engine.store.insertPatchedVersion(stale, base: base, baseWasLatest: true, at: TestProject.fixedDate)
        guard case .baseMoved = outcome else {
            Issue.record("a patch of a stale base was stored: \(outcome)")
            return
        }
        // Through the engine, the same patch is applied again to the new latest.
        let result = try engine.rerender("PROD-001", patches: try ShotPatch.parse(arguments: ["camera.fov=63"]))
        #expect(result.version.number == 3)
        #expect(result.version.parentHash == (try engine.version(of: "PROD-001", number: 2)).hash)
    }
}
