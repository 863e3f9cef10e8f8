/// How an undo ended, for the engine to report.
enum UndoResult {
    /// The reviewer has no action left that is not undone.
    case nothingToUndo
    /// Every version of the reviewer's latest action was reviewed again since: nothing changed.
    case superseded(actionID: Int64)
    case undone(ReviewOutcome)
}
