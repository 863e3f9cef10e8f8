import AutoDirectorCore

/// Moving through the rows and asking for the ones to show: shared by every context that
/// moves the cursor or changes what the table holds.
extension Update {
    /// Rows loaded beyond the visible ones on each side, so scrolling rarely waits.
    static let margin = 64

    static func move(to index: Int, _ state: inout AppState) -> [Effect] {
        state.cursor = max(0, min(index, state.total - 1))
        return follow(&state) + refreshDetail(&state)
    }

    /// Asks for the detail of the row under the cursor, unless it was last asked for that row
    /// as it is now: another shot, or this one with a new version, hash, render status or
    /// review (`DetailKey`). A refresh of an unchanged row loads nothing.
    static func refreshDetail(_ state: inout AppState) -> [Effect] {
        guard let row = state.current else { return [] }
        let key = DetailKey(row)
        if state.detailKey == key { return [] }
        state.detailKey = key
        return [.loadDetail(shotID: row.shot.id)]
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

    /// Asks again for the rows shown (data changed); the detail follows when the page shows
    /// that its row changed (`refreshDetail`).
    static func reload(_ state: inout AppState) -> [Effect] {
        let query = window(state)
        state.loading = query
        return [.loadPage(query)]
    }
}
