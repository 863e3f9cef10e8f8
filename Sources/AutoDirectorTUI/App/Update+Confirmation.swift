/// A y/N question on the status line: only `y` (or `Y`) says yes; any other key, Enter
/// included, cancels.
extension Update {
    static func answer(_ confirmation: Confirmation, with key: Key, _ state: inout AppState) -> [Effect] {
        state.confirmation = nil
        state.patchPreview = []
        guard key == .character("y") || key == .character("Y") else {
            state.message = "Cancelled."
            state.messageIsError = false
            return []
        }
        switch confirmation {
        case .approve(let ids, let stage):
            state.selection.removeAll()
            state.message = "Approving \(ids.count == 1 ? ids[0] : "\(ids.count) shots")\(stage.map { " at \($0)" } ?? "")…"
            state.messageIsError = false
            return [.approve(ids, stage: stage)]
        case .review(let change, let ids, let note):
            state.selection.removeAll()
            state.message = "\(change.progressive) \(ids.count == 1 ? ids[0] : "\(ids.count) shots")…"
            state.messageIsError = false
            return [.review(change, ids, note: note)]
        case .rerender(let ids, _):
            state.selection.removeAll()
            return [.rerender(ids)]
        case .edited(let id, let json):
            return [.replaceSpec(shotID: id, json: json)]
        case .export(let batch):
            return [.export(batchID: batch)]
        case .cancelJob(let id):
            return [.cancelJob(id)]
        case .refine(let refinement):
            state.message = "Storing \(refinement.base.shotID) v\(refinement.base.number + 1)…"
            state.messageIsError = false
            return [.acceptRefinement(refinement)]
        }
    }
}
