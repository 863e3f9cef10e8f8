import AutoDirectorCore

/// The pure heart of the TUI: an event changes the state and asks for effects. No I/O, no
/// clock: everything it needs arrives in the event.
///
/// One entry point routes each event to the context it belongs to, as lazygit routes keys to
/// its controllers: the table and detail (`Update+Table`), prompts and confirmations
/// (`Update+Prompt`, `Update+Confirmation`), the compare view (`Update+Compare`), review
/// decisions (`Update+Review`) and the render job (`Update+Jobs`); moving through the rows
/// and asking for them is shared (`Update+Navigation`).
public enum Update {
    public static func update(_ state: inout AppState, _ event: AppEvent) -> [Effect] {
        switch event {
        case .key(let key):
            return handle(key, &state)
        case .resize(let width, let height):
            state.width = width
            state.height = height
            state.failedGraphics.removeAll()
            return follow(&state)
        case .pageLoaded(let page, let query):
            return pageLoaded(page, query, &state)
        case .detailLoaded(let detail):
            return detailLoaded(detail, &state)
        case .matching(let ids, let query):
            return matching(ids, query, &state)
        case .reviewed(let decision):
            return reviewed(decision, &state)
        case .render(let event):
            return render(event, &state)
        case .renderStopped:
            return renderStopped(&state)
        case .jobLoaded(let job):
            return jobLoaded(job, &state)
        case .stagesLoaded(let stages):
            state.stages = stages
            return []
        case .visitRecorded(let previous):
            // What others changed since then is marked; the first visit marks nothing.
            guard let previous else { return [] }
            state.query.lastVisit = previous
            if (state.message ?? "").isEmpty {
                state.message = "• = changed by others since your last visit, \(DetailLoader.timestamp(previous)) (/new)"
            }
            return reload(&state)
        case .storeChanged:
            // The page says whether the shown shot changed (and so its detail); a render of
            // this process shows through its events, so the job line then needs no query.
            return reload(&state) + (state.renderingHere ? [] : [.loadJob]) + [.loadStages]
        case .compareLoaded(let data):
            return compareLoaded(data, &state)
        case .compareFailed(let shotID, let text):
            return compareFailed(shotID: shotID, text, &state)
        case .variantsLoaded(let data):
            return variantsLoaded(data, &state)
        case .variantsFailed(let shotID, let text):
            return variantsFailed(shotID: shotID, text, &state)
        case .rerenderEstimated(let ids, let estimate):
            // Asked only if the selection is still what was counted.
            guard state.targets == ids, state.confirmation == nil else { return [] }
            state.confirmation = .rerender(ids, estimate: estimate)
            state.message = nil
            return []
        case .refinementProposed(let refinement):
            state.patchPreview = ["Note: \(refinement.note)"] + refinement.changes.map(Patcher.describe)
            state.confirmation = .refine(refinement)
            state.message = nil
            return []
        case .variantPicked(let shotID, let text):
            if state.variants?.shotID == shotID { state.variants = nil }
            return update(&state, .done(text))
        case .edited(let shotID, let json):
            return edited(shotID: shotID, json: json, &state)
        case .done(let text):
            state.message = text
            state.messageIsError = false
            // An action may change what the row does not show (a new version's history, an
            // undone decision's entry): the detail is loaded again whatever the page says.
            state.detailKey = nil
            return reload(&state)
        case .failed(let text):
            state.message = text
            state.messageIsError = true
            return []
        case .graphicsReady:
            // The loop draws again after every event; the frame already says where it goes.
            return []
        case .graphicsFailed(let key, let text):
            // Bounded: kitty's keys name the place, so each resize could add one.
            if state.failedGraphics.count >= AppState.failedGraphicsLimit { state.failedGraphics.removeAll() }
            state.failedGraphics.insert(key)
            state.message = text
            state.messageIsError = true
            return []
        }
    }

    /// A key goes to whatever has the user's attention, most pressing first: a question, a
    /// prompt, the help, the compare view, else the table and detail.
    private static func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .resize { return [] }
        // Fixed, whatever keys.conf says: a way out that always works.
        if key == .control("c") {
            state.quitting = true
            return [.quit]
        }
        if let confirmation = state.confirmation { return answer(confirmation, with: key, &state) }
        if state.prompt != nil { return edit(key, &state) }
        if state.pinning != nil { return pinKey(key, &state) }
        if state.showHelp {
            state.showHelp = false
            return []
        }
        if state.compare != nil { return compareKey(key, &state) }
        if state.variants != nil { return variantsKey(key, &state) }
        return tableKey(key, &state)
    }
}
