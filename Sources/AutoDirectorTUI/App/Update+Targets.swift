/// The shots a key acts on, shared by the review and job keys.
extension Update {
    /// An action on the selected shots (confirmed first), else on the one under the cursor.
    static func bulk(
        _ state: inout AppState, confirm: ([String]) -> Confirmation, act: ([String]) -> Effect
    ) -> [Effect] {
        let targets = state.targets
        guard !targets.isEmpty else { return nothing(&state) }
        // A selection (even of one shot: `*` on a filter that matched one) is confirmed first;
        // the shot under the cursor is acted on at once.
        if !state.selection.isEmpty {
            state.confirmation = confirm(targets)
            return []
        }
        return [act(targets)]
    }

    /// A key that needs a shot, on an empty table (or a row not loaded yet).
    static func nothing(_ state: inout AppState) -> [Effect] {
        state.message = "No shot here."
        state.messageIsError = false
        return []
    }
}
