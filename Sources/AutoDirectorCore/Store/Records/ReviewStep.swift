/// A version's review status with the stages that have approved it (stored order).
struct StatusAndStages: Equatable {
    var status: ReviewStatus
    var stages: [String]
}

/// One version's change as the review log records it: the status and stages after and before,
/// and the stage the decision was made at (nil for a decision that is not a stage's approval).
struct ReviewStep {
    var status: ReviewStatus
    var previous: ReviewStatus
    var stage: String?
    var stages: [String]
    var previousStages: [String]

    /// An undo's step: back to `restored` from `current`.
    init(restoring restored: StatusAndStages, from current: StatusAndStages) {
        self.init(status: restored.status, previous: current.status, stage: nil, stages: restored.stages, previousStages: current.stages)
    }

    init(status: ReviewStatus, previous: ReviewStatus, stage: String?, stages: [String], previousStages: [String]) {
        self.status = status
        self.previous = previous
        self.stage = stage
        self.stages = stages
        self.previousStages = previousStages
    }
}
