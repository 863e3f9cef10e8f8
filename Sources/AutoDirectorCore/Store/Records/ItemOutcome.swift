/// How one job item ended, with the artifact it produced, stored together.
struct ItemOutcome: Sendable {
    /// The job item's id (`job_items.id`).
    var itemID: Int64
    var state: JobItem.State
    var attempts: Int
    var error: String?
    var durationMS: Int
    var artifact: StoredArtifact?
    /// The lease its item was rendered under, if claimed under one (`RenderLeases`).
    var leaseAttempt: Int64?

    /// The same outcome for another item.
    func sameResult(as other: ItemOutcome) -> Bool {
        state == other.state && attempts == other.attempts && error == other.error && durationMS == other.durationMS
    }

    /// Outcomes as runs of consecutive item ids with the same result, in id order. A job's items
    /// have consecutive ids in queue order and finish in slices that share a result (a mock job:
    /// done at the first attempt), so 100k items are written by a few thousand range updates.
    static func runs(_ outcomes: [ItemOutcome]) -> [(first: Int64, last: Int64, outcome: ItemOutcome)] {
        var runs: [(first: Int64, last: Int64, outcome: ItemOutcome)] = []
        for outcome in outcomes.indices.sorted(by: { outcomes[$0].itemID < outcomes[$1].itemID }).lazy.map({ outcomes[$0] }) {
            if let last = runs.last, last.last + 1 == outcome.itemID, last.outcome.sameResult(as: outcome) {
                runs[runs.count - 1].last = outcome.itemID
            } else {
                runs.append((outcome.itemID, outcome.itemID, outcome))
            }
        }
        return runs
    }
}
