/// What the store found for one requested review, for the engine's review policy to judge.
enum ReviewCandidate {
    case noShot(String)
    case noVersion(String, Int)
    case version(ReviewTarget, current: ReviewStatus, render: RenderStatus)
}
