import AutoDirectorCore

/// Saved views (tui.conf's `view.NAME = terms`) and the filter's terms, checked before a query
/// is asked for, so a typo is said at once and the table keeps what it shows.
extension Update {
    /// `w`: the next saved view, and after the last one every shot again.
    static func nextView(_ state: inout AppState) -> [Effect] {
        guard !state.views.isEmpty else {
            state.message = "No saved views: add lines like `view.mine = assignee:@me status:pending` to tui.conf."
            state.messageIsError = false
            return []
        }
        let next = state.viewIndex.map { $0 + 1 } ?? 0
        state.selection.removeAll()
        guard next < state.views.count else {
            state.viewIndex = nil
            state.query.filter = ""
            state.message = "Every shot (w: the first view again)."
            state.messageIsError = false
            return restart(&state)
        }
        let view = state.views[next]
        state.viewIndex = next
        if let problem = filterProblem(view.terms, state) {
            state.message = "View \(view.name): \(problem)"
            state.messageIsError = true
            return []
        }
        state.query.filter = view.terms
        state.message = "View \(view.name): \(view.terms)"
        state.messageIsError = false
        return restart(&state)
    }

    /// Why the terms cannot filter the table, or nil when they can.
    static func filterProblem(_ terms: String, _ state: AppState) -> String? {
        do {
            _ = try ShotFilter.parse(terms, ShotFilter.Context(me: state.reviewer, lastVisit: state.query.lastVisit, stages: state.stages))
            return nil
        } catch {
            return error.description
        }
    }
}
