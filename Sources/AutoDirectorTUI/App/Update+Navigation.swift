import AutoDirectorCore

/// Moving through the rows and asking for the ones to show: shared by every context that
/// moves the cursor or changes what the table holds.
extension Update {
    /// Rows loaded beyond the visible ones on each side, so scrolling rarely waits.
    static let margin = 64

    static func move(to index: Int, _ state: inout AppState) -> [Effect] {
        let before = state.current?.shot.id
        state.cursor = max(0, min(index, state.total - 1))
        var effects = follow(&state)
        if let now = state.current?.shot.id, now != before { effects.append(.loadDetail(shotID: now)) }
        return effects
    }

    /// Keeps the cursor on screen, and asks for the rows around it when they are not loaded.
    static func follow(_ state: inout AppState) -> [Effect] {
        let rows = Layout(width: state.width, height: state.height).tableRows
        if state.cursor < state.scroll { state.scroll = state.cursor }
        if state.cursor >= state.scroll + rows { state.scroll = state.cursor - rows + 1 }
        state.scroll = max(0, min(state.scroll, max(0, state.total - rows)))
        guard let page = state.page else { return [] }
        let end = min(state.total, state.scroll + rows)
        if state.scroll >= page.offset && end <= page.offset + page.rows.count { return [] }
        let query = window(state)
        if state.loading == query { return [] }
        state.loading = query
        return [.loadPage(query)]
    }

    /// The rows to load around what is shown: the visible ones and `margin` on each side.
    static func window(_ state: AppState) -> ShotQuery {
        var query = state.query
        query.offset = max(0, state.scroll - margin)
        query.limit = Layout(width: state.width, height: state.height).tableRows + 2 * margin
        return query
    }

    /// A new filter or sort: back to the first row.
    static func restart(_ state: inout AppState) -> [Effect] {
        state.cursor = 0
        state.scroll = 0
        state.page = nil
        return reload(&state)
    }

    /// Asks again for what is shown (data changed).
    static func reload(_ state: inout AppState) -> [Effect] {
        let query = window(state)
        state.loading = query
        var effects: [Effect] = [.loadPage(query)]
        if let id = state.current?.shot.id { effects.append(.loadDetail(shotID: id)) }
        return effects
    }
}
