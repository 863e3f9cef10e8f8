import AutoDirectorCore

/// The table and detail context: its keys (through the `Keymap`'s `Action`s) and the rows and
/// detail the interpreter loads for it.
extension Update {
    static func tableKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        // Esc is not an action: it backs out of whatever is open, here the selection.
        if key == .escape {
            state.selection.removeAll()
            state.message = nil
            return []
        }
        guard let action = state.keymap.action(for: key) else {
            state.message = "\(key.name) does nothing here; ? lists the keys."
            state.messageIsError = false
            return []
        }
        state.message = nil
        return perform(action, &state)
    }

    private static func perform(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .down, .up, .pageDown, .pageUp, .top, .bottom:
            return state.focus == .detail ? scrollDetail(action, &state) : moveCursor(action, &state)
        case .filter:
            state.prompt = .filter(state.query.filter)
            state.promptCursor = state.query.filter.count
            return []
        case .sort:
            let all = ShotQuery.Sort.allCases
            let next = all[((all.firstIndex(of: state.query.sort) ?? 0) + 1) % all.count]
            state.query.sort = next
            state.message = "Sorted by \(next.rawValue)."
            return restart(&state)
        case .focus:
            state.focus = state.focus == .detail ? .table : .detail
            return []
        case .detail:
            state.focus = .detail
            if state.tab == .preview { state.tab = .json }
            return []
        case .approve, .reject, .retake, .hold, .select, .selectAll, .undo:
            return review(action, &state)
        case .note, .nextNote, .previousNote, .resolveNote:
            return notes(action, &state)
        case .assign:
            let targets = state.targets
            guard !targets.isEmpty else { return nothing(&state) }
            state.prompt = .assignee(targets, state.reviewer)
            state.promptCursor = state.reviewer.count
            return []
        case .view:
            return nextView(&state)
        case .myQueue:
            // Mine and still pending, or everything again.
            let on = state.query.assignee == nil
            state.query.assignee = on ? state.reviewer : nil
            state.query.awaitingDecision = on
            state.selection.removeAll()
            state.message = on ? "My queue: shots assigned to \(state.reviewer) that wait for a decision (m: every shot)." : "Every shot."
            state.messageIsError = false
            return restart(&state)
        case .patch:
            guard let id = state.current?.shot.id else { return nothing(&state) }
            state.prompt = .patch(shotID: id, "")
            state.promptCursor = 0
            state.patchPreview = []
            return []
        case .edit:
            guard let detail = state.detail, detail.version.shotID == state.current?.shot.id else { return nothing(&state) }
            return [.editJSON(shotID: detail.version.shotID, json: detail.specJSON)]
        case .rerender, .cancelJob:
            return job(action, &state)
        case .export:
            state.confirmation = .export(batchID: state.query.batchID ?? state.current?.shot.batchID)
            return []
        case .compare:
            return openCompare(&state)
        case .variants:
            return openVariants(&state)
        case .refine:
            guard let id = state.current?.shot.id else { return nothing(&state) }
            state.prompt = .refine(shotID: id, "")
            state.promptCursor = 0
            return []
        case .tabPreview: return show(.preview, &state)
        case .tabJSON: return show(.json, &state)
        case .tabVersions: return show(.versions, &state)
        case .tabNotes: return show(.notes, &state)
        case .tabDiff: return show(.diff, &state)
        case .tabExplain: return show(.explain, &state)
        case .tabPrompt: return show(.prompt, &state)
        case .nextTab:
            let all = DetailTab.allCases
            return show(all[((all.firstIndex(of: state.tab) ?? 0) + 1) % all.count], &state)
        case .copyHash:
            guard let hash = state.current?.hash else { return nothing(&state) }
            state.message = "Copied the hash of \(state.current?.shot.id ?? "")."
            return [.copy(hash)]
        case .copyJSON:
            guard let detail = state.detail else { return nothing(&state) }
            state.message = "Copied the JSON of \(detail.version.shotID) v\(detail.version.number)."
            return [.copy(detail.specJSON)]
        case .help:
            state.showHelp = true
            return []
        case .quit:
            state.quitting = true
            return [.quit]
        }
    }

    /// Scrolled in wrapped lines, as the panel shows them; only as many are wrapped as the new
    /// position needs (all of them for the end).
    private static func scrollDetail(_ action: Action, _ state: inout AppState) -> [Effect] {
        let layout = Layout(width: state.width, height: state.height)
        let step = action == .down || action == .up ? 1 : layout.detailRows
        var scroll = state.detailScroll
        switch action {
        case .down, .pageDown: scroll += step
        case .up, .pageUp: scroll -= step
        case .top: scroll = 0
        default: scroll = .max - layout.detailRows
        }
        let rows = state.detail.map {
            DetailView.rowCount($0, state.tab, width: layout.detail.width - 1, ascii: state.ascii, upTo: scroll + layout.detailRows)
        } ?? 0
        state.detailScroll = max(0, min(scroll, rows - layout.detailRows))
        return []
    }

    private static func moveCursor(_ action: Action, _ state: inout AppState) -> [Effect] {
        let page = Layout(width: state.width, height: state.height).tableRows
        switch action {
        case .down: return move(to: state.cursor + 1, &state)
        case .up: return move(to: state.cursor - 1, &state)
        case .pageDown: return move(to: state.cursor + page, &state)
        case .pageUp: return move(to: state.cursor - page, &state)
        case .top: return move(to: 0, &state)
        default: return move(to: state.total - 1, &state)
        }
    }

    private static func show(_ tab: DetailTab, _ state: inout AppState) -> [Effect] {
        state.tab = tab
        state.detailScroll = 0
        return []
    }

    // MARK: Loaded for the table

    static func pageLoaded(_ page: ShotPage, _ query: ShotQuery, _ state: inout AppState) -> [Effect] {
        guard query.filter == state.query.filter, query.sort == state.query.sort, query.batchID == state.query.batchID else { return [] }
        if state.loading == query { state.loading = nil }
        let before = state.current?.shot.id
        state.page = page
        // A refresh may move rows (a decided shot leaves a filter): the cursor stays on its shot.
        if let before, let index = page.rows.firstIndex(where: { $0.shot.id == before }) {
            state.cursor = page.offset + index
        }
        state.cursor = min(state.cursor, max(0, page.total - 1))
        let effects = follow(&state) + refreshDetail(&state)
        if page.total == 0 {
            state.detail = nil
            state.detailKey = nil
        }
        return effects
    }

    static func detailLoaded(_ detail: ShotDetail, _ state: inout AppState) -> [Effect] {
        guard detail.version.shotID == state.current?.shot.id else { return [] }
        if state.detail?.version.shotID != detail.version.shotID || state.detail?.version.number != detail.version.number {
            state.detailScroll = 0
            state.focusedNote = nil
        }
        state.detail = detail
        return []
    }

    /// The ids `*` asked for: they become the selection.
    static func matching(_ ids: [String], _ query: ShotQuery, _ state: inout AppState) -> [Effect] {
        guard query == state.query else { return [] }
        state.selection = Set(ids)
        state.message = ids.isEmpty ? "No shot matches." : "Selected \(ids.count) shot\(ids.count == 1 ? "" : "s")\(state.query.filter.isEmpty ? "" : " matching “\(state.query.filter)”"); * again clears."
        state.messageIsError = false
        return []
    }
}
