import Foundation

/// Review actions (SPEC §8) and the policy they follow. The store applies an action in one
/// transaction and asks `ReviewPolicy` about each version it finds; the policy is the engine's.
extension Engine {
    /// Applies `action` to the shots' latest versions (or `version` of a single shot) in one
    /// transaction: all or nothing, one audit-log action. A retake's note is also written as a
    /// note on each version (pinned with `pin`), which the next version answers. In a project
    /// with approval stages an approval names its `stage` (SPEC §17).
    public func review(
        _ action: ReviewAction, _ shotIDs: [String], version: Int? = nil, note: String? = nil, pin: NotePin? = nil, stage: String? = nil,
        reviewer: String
    ) throws -> ReviewOutcome {
        let status = action.status
        // Only an approval needs the project's stages (one read).
        let stages = action == .approve ? try approvalStages() : .single
        let approvalStage: String?
        if action == .approve {
            approvalStage = try stages.stage(for: stage)
        } else if let stage {
            throw ApprovalStagesError.stageOnlyForApproval(action.rawValue, stage)
        } else {
            approvalStage = nil
        }
        if status.needsNote && (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw EngineError.noteRequired(status) }
        var opening: NoteToOpen?
        if action == .retake, let note {
            opening = NoteToOpen(body: try NoteText.checked(note), pin: pin)
        } else if pin != nil {
            throw EngineError.pinWithoutNote(action)
        }
        do {
            return try EngineError.reporting {
                try store.review(
                    shotIDs.map { ReviewRequest(shotID: $0, version: version) }, stage: approvalStage, note: note, opening: opening,
                    reviewer: reviewer, at: clock()
                ) { ReviewPolicy.verdict(on: $0, action: action, note: note, stages: stages, stage: approvalStage) }
            }
        } catch let refusal as ReviewRefusal {
            throw EngineError.reviewRefused(refusal.reasons)
        }
    }

    public func approve(
        _ shotIDs: [String], version: Int? = nil, note: String? = nil, stage: String? = nil, reviewer: String
    ) throws -> ReviewOutcome {
        try review(.approve, shotIDs, version: version, note: note, stage: stage, reviewer: reviewer)
    }

    /// Final: the shot is dropped from the deliverable.
    public func reject(_ shotIDs: [String], version: Int? = nil, note: String, reviewer: String) throws -> ReviewOutcome {
        try review(.reject, shotIDs, version: version, note: note, reviewer: reviewer)
    }

    /// Changes requested (a retake): the note says what to change; a new version answers it.
    public func retake(_ shotIDs: [String], version: Int? = nil, note: String, pin: NotePin? = nil, reviewer: String) throws -> ReviewOutcome {
        try review(.retake, shotIDs, version: version, note: note, pin: pin, reviewer: reviewer)
    }

    /// Sets versions aside: no decision, and none awaited until they are released.
    public func hold(_ shotIDs: [String], version: Int? = nil, note: String? = nil, reviewer: String) throws -> ReviewOutcome {
        try review(.hold, shotIDs, version: version, note: note, reviewer: reviewer)
    }

    /// Puts versions on hold back to pending; any other version is refused.
    public func release(_ shotIDs: [String], version: Int? = nil, note: String? = nil, reviewer: String) throws -> ReviewOutcome {
        try review(.release, shotIDs, version: version, note: note, reviewer: reviewer)
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
}

/// What a review action may do to one version.
enum ReviewPolicy {
    /// `stage`: the approval stage an approval is for (checked against `stages`); nil for any
    /// other action, and for an approval in a project of the single default stage.
    static func verdict(
        on candidate: ReviewCandidate, action: ReviewAction, note: String?, stages: ApprovalStages = .single, stage: String? = nil
    ) -> ReviewVerdict {
        switch candidate {
        case .noShot(let id):
            return .refused(EngineError.unknownShot(id))
        case .noVersion(let id, let number):
            return .refused(EngineError.unknownVersion(id, number))
        case .version(let target, let current, let approved, let render):
            // Every decision but a stage's approval starts the stages over.
            var status = action.status
            var after: [String] = []
            if action == .approve, let stage {
                switch approval(at: stage, of: target, current: current, approved: approved, stages: stages) {
                case .success(let result): (status, after) = (result.status, result.stages)
                case .failure(let reason): return .refused(reason)
                }
            }
            // Only an image a reviewer has seen can be approved, at any stage.
            if action == .approve && render != .rendered {
                return .refused(EngineError.notRendered(target.shotID, target.version, render))
            }
            // `release` applies to versions on hold only.
            if action == .release && current != .onHold { return .refused(EngineError.notOnHold(target.shotID, target.version, current)) }
            // A repeated decision with a note is logged again, so the note is kept: it says
            // something new (a rejection always carries one).
            let carriesNote = !(note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            if current == status && approved == after && !carriesNote { return .unchanged }
            return .change(status, stages: after)
        }
    }
}

extension ReviewPolicy {
    /// An approval at `stage` adds it to the stages that have approved, each after the one
    /// before; the version is approved when all have (and stays so when it was already).
    static func approval(
        at stage: String, of target: ReviewTarget, current: ReviewStatus, approved: [String], stages: ApprovalStages
    ) -> Result<StatusAndStages, EngineError> {
        if current == .approved || approved.contains(stage) {
            return .success(StatusAndStages(status: current, stages: stages.ordered(approved)))
        }
        if let awaiting = stages.awaiting(after: approved), awaiting != stage {
            return .failure(EngineError.stageOutOfOrder(target.shotID, target.version, stage: stage, awaiting: awaiting))
        }
        let after = stages.ordered(approved + [stage])
        return .success(StatusAndStages(status: stages.awaiting(after: after) == nil ? .approved : .pending, stages: after))
    }

    /// Changes requested in `log` (one shot's audit log) that no later entry undid.
    static func retakes(in log: [ReviewEntry]) -> Int {
        // An undo logs an entry for each version it restored (not for those reviewed again since).
        struct Undone: Hashable { var action: Int64, version: Int }
        let undone = Set(log.compactMap { entry in entry.undoes.map { Undone(action: $0, version: entry.version) } })
        // An undo that restores a retake is not a new retake.
        return log.filter {
            $0.status == .changesRequested && $0.undoes == nil && !undone.contains(Undone(action: $0.actionID, version: $0.version))
        }.count
    }
}

/// What the store found for one version of the action being undone, for `UndoPolicy` to judge.
struct UndoCandidate {
    var target: ReviewTarget
    /// The action being undone.
    var actionID: Int64
    /// The status and stages that action set, and those it replaced.
    var setByAction: StatusAndStages
    var previous: StatusAndStages
    /// The version's status and stages now.
    var current: StatusAndStages
}

/// The undo policy's decision about one version.
enum UndoVerdict: Equatable {
    /// Log the status and stages with `note` as part of the undo action.
    case restore(StatusAndStages, note: String)
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
