import Testing
@testable import AutoDirectorCore

/// How a plan changes stored shots is the engine's rule; both stores only report each shot's
/// versions and write what it decides (the planning tests run it through both).
@Suite struct PlanReconciliationTests {
    private func planned(_ id: String, hash: String) -> PlannedShot {
        PlannedShot(
            shotID: id, subject: id, line: 1, hash: hash, seed: 1, identity: nil, look: SharedJSON(json: "{}"),
            rulesApplied: SharedJSON(json: "[]"), origin: .plan)
    }

    @Test func newShotsAreVersionOneUnchangedOnesKeptChangedOnesTheNextVersion() {
        var reconciliation = PlanReconciliation(batchID: "b")
        #expect(reconciliation.decide(planned("new", hash: "h1"), history: nil) == .store(number: 1, parentHash: nil))
        let same = ShotPlanHistory.adding(nil, number: 1, hash: "h1", origin: .plan)
        #expect(reconciliation.decide(planned("same", hash: "h1"), history: same) == .keep)
        #expect(reconciliation.decide(planned("changed", hash: "h2"), history: same) == .store(number: 2, parentHash: "h1"))
        #expect(reconciliation.summary == PlanSummary(batchID: "b", shots: 3, created: 1, updated: 1, unchanged: 1, replacedPatches: 0))
    }

    @Test func aPatchIsNotAPlanChangeButAChangedPlanReplacesIt() {
        // v1 planned (h1), v2 patched (p2): the planned hash is still h1.
        let patched = ShotPlanHistory.adding(ShotPlanHistory.adding(nil, number: 1, hash: "h1", origin: .plan), number: 2, hash: "p2", origin: .patch)
        #expect(patched == ShotPlanHistory(latest: 2, latestHash: "p2", plannedHash: "h1"))
        var reconciliation = PlanReconciliation(batchID: "b")
        #expect(reconciliation.decide(planned("s", hash: "h1"), history: patched) == .keep)
        #expect(reconciliation.decide(planned("s", hash: "h3"), history: patched) == .store(number: 3, parentHash: "p2"))
        #expect(reconciliation.summary.replacedPatches == 1)
        #expect(reconciliation.summary.updated == 1 && reconciliation.summary.unchanged == 1)
    }
}
