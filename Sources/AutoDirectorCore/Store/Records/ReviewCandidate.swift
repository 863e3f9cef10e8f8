/// What the store found for one requested review, for the engine's review policy to judge.
enum ReviewCandidate {
    case noShot(String)
    case noVersion(String, Int)
    /// A version with its status, the stages that have approved it (stored order) and its render.
    case version(ReviewTarget, current: ReviewStatus, stages: [String], render: RenderStatus)
}
