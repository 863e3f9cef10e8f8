/// How a plan changes a batch's shots (SPEC §5): the engine's policy. A store reads what each
/// shot holds (`ShotPlanHistory`), asks `decide` for every planned shot and writes the answer in
/// the same transaction; it never counts or compares hashes itself.
///
/// A shot's planned spec is its latest version made by the planner, so patches made since do
/// not count as changes: an unchanged plan keeps the patch, a changed one becomes the next
/// version (and the patch is no longer the latest: counted as replaced).
struct PlanReconciliation: Sendable, Equatable {
    private(set) var summary: PlanSummary

    init(batchID: String) {
        summary = PlanSummary(batchID: batchID, shots: 0, created: 0, updated: 0, unchanged: 0)
    }

    /// What to store for a planned shot whose stored versions are `history` (nil: never planned).
    mutating func decide(_ shot: PlannedShot, history: ShotPlanHistory?) -> PlanDecision {
        summary.shots += 1
        guard let history else {
            summary.created += 1
            return .store(number: 1, parentHash: nil)
        }
        if history.plannedHash == shot.hash {
            summary.unchanged += 1
            return .keep
        }
        summary.updated += 1
        if history.latestHash != history.plannedHash { summary.replacedPatches += 1 }
        return .store(number: history.latest + 1, parentHash: history.latestHash)
    }
}

/// What a plan does with one planned shot.
enum PlanDecision: Sendable, Equatable {
    /// Store the planned spec as version `number`, made from `parentHash`.
    case store(number: Int, parentHash: String?)
    /// The planned spec is the one already planned: store nothing.
    case keep
}

/// What a shot's stored versions say to a new plan, folded from its versions in number order.
struct ShotPlanHistory: Sendable, Equatable {
    var latest: Int
    var latestHash: String
    /// The hash of the latest version the planner made (nil when every version is a patch).
    var plannedHash: String?

    /// The history after one more version, in number order.
    static func adding(_ history: ShotPlanHistory?, number: Int, hash: String, origin: ShotVersion.Origin) -> ShotPlanHistory {
        ShotPlanHistory(latest: number, latestHash: hash, plannedHash: origin == .patch ? history?.plannedHash : hash)
    }
}
