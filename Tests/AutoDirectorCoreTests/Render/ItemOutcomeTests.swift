import Testing
@testable import AutoDirectorCore

@Suite struct ItemOutcomeTests {
    private func outcome(_ id: Int64, _ state: JobItem.State = .done, attempts: Int = 1, error: String? = nil, ms: Int = 0) -> ItemOutcome {
        ItemOutcome(itemID: id, state: state, attempts: attempts, error: error, durationMS: ms)
    }

    /// Runs join consecutive ids with the same result, whatever order items finished in, and
    /// split at a gap or at any difference in state, attempts, error or duration.
    @Test func runsJoinConsecutiveIdsWithTheSameResult() {
        let outcomes = [
            outcome(3), outcome(1), outcome(2), outcome(5), outcome(4),
            outcome(6, .failed, error: "boom"), outcome(7, .failed, error: "boom"), outcome(8, .failed, error: "other"),
            outcome(9, attempts: 2), outcome(10, ms: 7), outcome(12), outcome(11, .cached, attempts: 0),
        ]
        let runs = ItemOutcome.runs(outcomes).map { [$0.first, $0.last] }
        #expect(runs == [[1, 5], [6, 7], [8, 8], [9, 9], [10, 10], [11, 11], [12, 12]])
        #expect(ItemOutcome.runs([]).isEmpty)
    }
}
