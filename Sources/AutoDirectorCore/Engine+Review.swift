import Foundation

/// Review actions (SPEC §8) and the policy they follow. The store applies an action in one
/// transaction and asks `ReviewPolicy` about each version it finds; the policy is the engine's.
extension Engine {
    public func approve(_ shotIDs: [String], version: Int? = nil, note: String? = nil, reviewer: String) throws -> ReviewOutcome {
        try review(shotIDs, version: version, status: .approved, note: note, reviewer: reviewer)
    }

    /// Final: the shot is dropped from the deliverable.
    public func reject(_ shotIDs: [String], version: Int? = nil, note: String, reviewer: String) throws -> ReviewOutcome {
        try review(shotIDs, version: version, status: .rejected, note: note, reviewer: reviewer)
    }

    /// Changes requested (a retake): the note says what to change; a new version answers it.
    public func retake(_ shotIDs: [String], version: Int? = nil, note: String, reviewer: String) throws -> ReviewOutcome {
        try review(shotIDs, version: version, status: .changesRequested, note: note, reviewer: reviewer)
    }

    /// Sets versions aside: no decision, and none awaited until they are released.
    public func hold(_ shotIDs: [String], version: Int? = nil, note: String? = nil, reviewer: String) throws -> ReviewOutcome {
        try review(shotIDs, version: version, status: .onHold, note: note, reviewer: reviewer)
    }

    /// Puts versions on hold back to pending; any other version is refused.
    public func release(_ shotIDs: [String], version: Int? = nil, note: String? = nil, reviewer: String) throws -> ReviewOutcome {
        try review(shotIDs, version: version, status: .pending, note: note, reviewer: reviewer, releasing: true)
    }

    /// Retakes asked of a shot, over all its versions: changes requested that were not undone.
    public func retakeCount(of shotID: String) throws -> Int {
        ReviewPolicy.retakes(in: try reviewLog(of: shotID))
    }

    /// Undo is a new action in the audit log that restores the previous statuses (SPEC §8).
    public func undoLastReview(reviewer: String) throws -> ReviewOutcome {
        switch try store.undoLastReview(reviewer: reviewer, at: clock(), judge: UndoPolicy.verdict) {
        case .nothingToUndo: throw EngineError.nothingToUndo(reviewer)
        case .superseded(let actionID): throw EngineError.undoSuperseded(actionID)
        case .undone(let outcome): return outcome
        }
    }

    private func review(
        _ shotIDs: [String], version: Int?, status: ReviewStatus, note: String?, reviewer: String, releasing: Bool = false
    ) throws -> ReviewOutcome {
        if status.needsNote && (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw EngineError.noteRequired(status) }
        do {
            return try store.review(
                shotIDs.map { ReviewRequest(shotID: $0, version: version) }, status: status, note: note, reviewer: reviewer, at: clock()
            ) { ReviewPolicy.verdict(on: $0, setting: status, note: note, releasing: releasing) }
        } catch let refusal as ReviewRefusal {
            throw EngineError.reviewRefused(refusal.reasons)
        }
    }
}

/// What a review action may do to one version.
enum ReviewPolicy {
    /// `releasing`: the action is `release`, which applies to versions on hold only.
    static func verdict(on candidate: ReviewCandidate, setting status: ReviewStatus, note: String?, releasing: Bool = false) -> ReviewVerdict {
        switch candidate {
        case .noShot(let id):
            return .refused(EngineError.unknownShot(id))
        case .noVersion(let id, let number):
            return .refused(EngineError.unknownVersion(id, number))
        case .version(let target, let current, let render):
            // Only an image a reviewer has seen can be approved.
            if status == .approved && render != .rendered {
                return .refused(EngineError.notRendered(target.shotID, target.version, render))
            }
            if releasing && current != .onHold { return .refused(EngineError.notOnHold(target.shotID, target.version, current)) }
            // A repeated decision with a note is logged again, so the note is kept: it says
            // something new (a rejection always carries one).
            let carriesNote = !(note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            if current == status && !carriesNote { return .unchanged }
            return .change
        }
    }
}

extension ReviewPolicy {
    /// Changes requested in `log` (one shot's audit log) that no later entry undid.
    static func retakes(in log: [ReviewEntry]) -> Int {
        // An undo logs an entry for each version it restored (not for those reviewed again since).
        struct Undone: Hashable { var action: Int64, version: Int }
        let undone = Set(log.compactMap { entry in entry.undoes.map { Undone(action: $0, version: entry.version) } })
        return log.filter { $0.status == .changesRequested && !undone.contains(Undone(action: $0.actionID, version: $0.version)) }.count
    }
}

/// What the store found for one version of the action being undone, for `UndoPolicy` to judge.
struct UndoCandidate {
    var target: ReviewTarget
    /// The action being undone.
    var actionID: Int64
    /// The status that action set, and the one it replaced.
    var setByAction: ReviewStatus
    var previous: ReviewStatus
    /// The version's status now.
    var current: ReviewStatus
}

/// The undo policy's decision about one version.
enum UndoVerdict: Equatable {
    /// Log `status` with `note` as part of the undo action.
    case restore(ReviewStatus, note: String)
    /// Leave the version alone: reported as unchanged.
    case leave
}

/// What undoing an action may do to one of its versions: a version reviewed again since (by
/// anyone) is left alone, so undo never overwrites another action.
enum UndoPolicy {
    static func verdict(on candidate: UndoCandidate) -> UndoVerdict {
        guard candidate.current == candidate.setByAction else { return .leave }
        return .restore(candidate.previous, note: "undo of review action \(candidate.actionID)")
    }
}
