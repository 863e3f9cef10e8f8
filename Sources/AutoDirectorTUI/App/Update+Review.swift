import AutoDirectorCore

/// The review context: the keys that decide shots (and choose which), and a decision shown in
/// place as the store answered it, before the page is read again behind it.
extension Update {
    static func review(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .approve:
            // With approval stages the reviewer names the stage first (the next one the shot
            // under the cursor waits for is offered).
            if state.stages.isStaged {
                let targets = state.targets
                guard !targets.isEmpty else { return nothing(&state) }
                let offered = state.current.flatMap { state.stages.awaiting(after: $0.approvedStages) } ?? state.stages.names[0]
                state.prompt = .stage(targets, offered)
                state.promptCursor = offered.count
                return []
            }
            return bulk(&state, confirm: { .approve($0, stage: nil) }, act: { .approve($0, stage: nil) })
        case .reject, .retake:
            let targets = state.targets
            guard !targets.isEmpty else { return nothing(&state) }
            // A retake of the one shot on screen is pinned first, where its picture shows.
            if action == .retake, targets.count == 1, let id = pinnable(&state), id == targets[0] {
                return startPinning(.retake(shotID: id), &state)
            }
            state.prompt = .reviewNote(action == .reject ? .reject : .retake, targets, "", pin: nil)
            state.promptCursor = 0
            return []
        case .hold:
            // On the shot under the cursor, on hold: released; otherwise held.
            let change: ReviewChange = state.selection.isEmpty && state.current?.review == .onHold ? .release : .hold
            return bulk(&state, confirm: { .review(change, $0, note: nil) }, act: { .review(change, $0, note: nil) })
        case .select:
            guard let id = state.current?.shot.id else { return nothing(&state) }
            if state.selection.remove(id) == nil { state.selection.insert(id) }
            return move(to: state.cursor + 1, &state)
        case .selectAll:
            if !state.selection.isEmpty {
                state.selection.removeAll()
                state.message = "Selection cleared."
                return []
            }
            state.message = "Selecting every shot that matches…"
            return [.selectMatching(state.query)]
        case .undo:
            return [.undo]
        default:
            // Not a review key: the table routes only the seven above here.
            return []
        }
    }

    /// A decision is shown from what the store wrote, without asking for the page again; the
    /// page is then refreshed behind it (other columns, a filter the shot no longer matches).
    static func reviewed(_ decision: ReviewDecision, _ state: inout AppState) -> [Effect] {
        state.message = decision.message
        state.messageIsError = false
        let wasOnDecided = state.current.map { decision.shotIDs.contains($0.shot.id) } ?? false
        if var page = state.page {
            apply(decision, to: &page)
            state.page = page
        }
        if var detail = state.detail {
            apply(decision, to: &detail)
            state.detail = detail
        }
        // No read begun before the decision arrives after it (the interpreter reads such a one
        // again), so nothing that arrives later shows the decided rows as they were.
        var effects: [Effect] = []
        if state.advanceAfterReview, decision.shotIDs.count == 1, wasOnDecided {
            effects += move(to: nextPending(after: state.cursor, state), &state)
        }
        let query = window(state)
        state.loading = query
        effects.append(.loadPage(query))
        // The decided shot's detail (its review history) when it is still the one shown.
        return effects + refreshDetail(&state)
    }

    private static func apply(_ decision: ReviewDecision, to page: inout ShotPage) {
        let decided = Set(decision.shotIDs)
        guard let status = decision.status else { return }
        for index in page.rows.indices where decided.contains(page.rows[index].shot.id) {
            page.rows[index].review = status
            page.rows[index].approvedStages = []
        }
    }

    private static func apply(_ decision: ReviewDecision, to detail: inout ShotDetail) {
        if let status = decision.status, decision.shotIDs.contains(detail.version.shotID) {
            detail.version.review = status
            detail.version.approvedStages = []
        }
    }

    /// The next row after `index` still pending among the loaded ones, else the next row.
    static func nextPending(after index: Int, _ state: AppState) -> Int {
        guard let page = state.page else { return index + 1 }
        var next = index + 1
        while next < page.offset + page.rows.count {
            if let row = state.row(at: next), row.review == .pending { return next }
            next += 1
        }
        return index + 1
    }
}
