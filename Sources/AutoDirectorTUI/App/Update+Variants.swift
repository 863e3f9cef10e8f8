import AutoDirectorCore

/// The variants view's context (`V`, SPEC §18): the shot's latest version rendered with the next
/// four seeds, as a grid. Its keys are fixed: the arrows or hjkl move the focus (and flip through
/// the variants full-size), `f` or Space shows the one in focus full-size or the grid again,
/// Enter makes it the shot's next version, Esc, `V` or `q` returns to the table.
extension Update {
    static func openVariants(_ state: inout AppState) -> [Effect] {
        guard let shot = state.current?.shot else { return nothing(&state) }
        state.variants = VariantsState(shotID: shot.id)
        state.message = "Rendering \(VariantsState.count) seed variants of \(shot.id) v\(shot.latestVersion) (each cached by its hash)…"
        state.messageIsError = false
        return [.loadVariants(shotID: shot.id, count: VariantsState.count)]
    }

    static func variantsKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var variants = state.variants else { return [] }
        let count = variants.data?.variants.count ?? 0
        switch key {
        case .escape, .character("q"), .character("V"):
            state.variants = nil
            return []
        case .left, .character("h"), .up, .character("k"):
            guard count > 0 else { return [] }
            variants.focus = (variants.focus + count - 1) % count
        case .right, .character("l"), .down, .character("j"):
            guard count > 0 else { return [] }
            variants.focus = (variants.focus + 1) % count
        case .character("f"), .character(" "):
            variants.fullSize.toggle()
        case .enter:
            guard let data = variants.data, data.variants.indices.contains(variants.focus), !variants.picking else { return [] }
            variants.picking = true
            state.variants = variants
            let seed = data.variants[variants.focus].seed
            state.message = "Making seed \(seed) \(data.shotID) v\(data.base.number + 1)…"
            return [.pickVariant(shotID: data.shotID, version: data.base.number, seed: seed)]
        default:
            state.message = "Variants: ←→ choose · f full size · Enter pick · Esc back."
            state.messageIsError = false
            return []
        }
        state.variants = variants
        return []
    }

    static func variantsLoaded(_ data: VariantsData, _ state: inout AppState) -> [Effect] {
        guard var variants = state.variants, variants.shotID == data.shotID else { return [] }
        variants.data = data
        variants.focus = min(variants.focus, max(0, data.variants.count - 1))
        state.variants = variants
        state.message = "\(data.variants.count) seed variants of \(data.shotID) v\(data.base.number): \(data.estimate). Enter picks one."
        state.messageIsError = false
        return []
    }

    static func variantsFailed(shotID: String, _ text: String, _ state: inout AppState) -> [Effect] {
        if state.variants?.shotID == shotID {
            if state.variants?.data == nil { state.variants = nil } else { state.variants?.picking = false }
        }
        state.message = text
        state.messageIsError = true
        return []
    }
}
