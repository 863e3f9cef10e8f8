/// The compare view's context: `C` opens it, its keys go through the `Keymap`'s
/// `CompareAction`s (defaults: `[` and `]` pick the left version, the right one stays; `f`
/// flips the images; `D` shows where the pixels differ; Esc, `C` or `q` returns to the table),
/// and the interpreter's loads fill it.
extension Update {
    static func openCompare(_ state: inout AppState) -> [Effect] {
        guard let shot = state.current?.shot else { return nothing(&state) }
        guard shot.latestVersion >= 2 else {
            state.message = "\(shot.id) has one version: patch it (p) to have two to compare."
            return []
        }
        state.compare = CompareState(shotID: shot.id)
        return [.loadCompare(shotID: shot.id, left: nil, right: nil)]
    }

    static func compareKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var compare = state.compare else { return [] }
        state.message = nil
        guard let action = state.keymap.compareAction(for: key) else {
            // The help is the one key of the table that works here too.
            if state.keymap.action(for: key) == .help {
                state.showHelp = true
                return []
            }
            state.message = "Compare: " + KeyHints.compareTitle(state.keymap) + "."
            return []
        }
        switch action {
        case .compareBack:
            state.compare = nil
            return []
        case .compareFlip:
            compare.flipped.toggle()
            state.compare = compare
            return []
        case .compareDifference:
            compare.showDifference.toggle()
            state.compare = compare
            if compare.showDifference, compare.data?.difference == nil {
                state.message = "Both versions need a rendered image to show where they differ."
            }
            return []
        case .compareOlder, .compareNewer:
            guard let data = compare.data, let left = compare.left else { return [] }
            let candidates = data.numbers.filter { $0 != data.right.version.number }
            guard let index = candidates.firstIndex(of: left) else { return [] }
            let next = action == .compareOlder ? index - 1 : index + 1
            guard candidates.indices.contains(next) else {
                state.message = action == .compareOlder ? "v\(left) is the oldest version." : "No newer version to compare with v\(data.right.version.number)."
                return []
            }
            compare.left = candidates[next]
            compare.flipped = false
            state.compare = compare
            return [.loadCompare(shotID: compare.shotID, left: candidates[next], right: data.right.version.number)]
        }
    }

    static func compareLoaded(_ data: CompareData, _ state: inout AppState) -> [Effect] {
        guard var compare = state.compare, compare.shotID == data.shotID else { return [] }
        compare.data = data
        compare.left = data.left.version.number
        compare.right = data.right.version.number
        state.compare = compare
        return []
    }

    /// Closes the view only when it is still waiting for this shot's data: a failure of a
    /// later load (another version picked) leaves the versions already shown.
    static func compareFailed(shotID: String, _ text: String, _ state: inout AppState) -> [Effect] {
        if state.compare?.shotID == shotID, state.compare?.data == nil { state.compare = nil }
        state.message = text
        state.messageIsError = true
        return []
    }
}
