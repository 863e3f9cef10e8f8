import AutoDirectorCore

/// The prompt context: a line typed at the bottom of the screen (filter, reject note, patch),
/// and the JSON back from $EDITOR, checked before it is offered for confirmation.
extension Update {
    static func edit(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard let prompt = state.prompt else { return [] }
        switch key {
        case .escape:
            state.prompt = nil
            state.patchPreview = []
            state.message = "Cancelled."
            state.messageIsError = false
            return []
        case .enter:
            return submit(prompt, &state)
        default:
            break
        }
        var line = LineEditor(prompt.text, cursor: state.promptCursor)
        guard line.apply(key) else { return [] }
        state.promptCursor = line.cursor
        let text = line.text
        switch prompt {
        case .filter: state.prompt = .filter(text)
        case .reviewNote(let change, let ids, _, let pin): state.prompt = .reviewNote(change, ids, text, pin: pin)
        case .note(let id, let pin, _): state.prompt = .note(shotID: id, pin: pin, text)
        case .assignee(let ids, _): state.prompt = .assignee(ids, text)
        case .stage(let ids, _): state.prompt = .stage(ids, text)
        case .patch(let id, _):
            state.prompt = .patch(shotID: id, text)
            state.patchPreview = preview(text, state.detail, shotID: id)
        case .refine(let id, _): state.prompt = .refine(shotID: id, text)
        }
        return []
    }

    /// Enter in a prompt. A problem (an empty note, an invalid patch) keeps the prompt open
    /// with the reason, so nothing typed is lost.
    private static func submit(_ prompt: Prompt, _ state: inout AppState) -> [Effect] {
        switch prompt {
        case .filter(let text):
            // A term that cannot be read keeps the prompt open with the reason.
            if let problem = filterProblem(text, state) {
                state.message = problem
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            state.viewIndex = nil
            state.query.filter = text.trimmingCharacters(in: .whitespaces)
            state.message = state.query.filter.isEmpty ? "Filter cleared." : "Filter: \(state.query.filter)"
            state.selection.removeAll()
            return restart(&state)
        case .reviewNote(let change, let ids, let note, let pin):
            let note = note.trimmingCharacters(in: .whitespaces)
            guard !note.isEmpty else {
                state.message = "\(change.noteRequired) type one, or Esc to cancel."
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            if ids.count > 1 {
                state.confirmation = .review(change, ids, note: note)
                return []
            }
            return [.review(change, ids, note: note, pin: pin)]
        case .note(let id, let pin, let text):
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                state.message = "A note needs some text: type it, or Esc to cancel."
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            state.message = "Writing the note on \(id)…"
            state.messageIsError = false
            return [.writeNote(shotID: id, text: text, pin: pin)]
        case .assignee(let ids, let name):
            let name = name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                state.message = "Type the reviewer's name, or Esc to cancel."
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            state.message = "Assigning \(ids.count == 1 ? ids[0] : "\(ids.count) shots") to \(name)…"
            state.messageIsError = false
            return [.assign(ids, to: name)]
        case .stage(let ids, let text):
            let stage = text.trimmingCharacters(in: .whitespaces)
            guard state.stages.names.contains(stage) else {
                state.message = "Approve at which stage: \(state.stages.names.joined(separator: ", "))? (Esc cancels)"
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            // A selection is confirmed first, as every bulk decision is.
            if !state.selection.isEmpty {
                state.confirmation = .approve(ids, stage: stage)
                return []
            }
            state.message = "Approving \(ids.count == 1 ? ids[0] : "\(ids.count) shots") at \(stage)…"
            state.messageIsError = false
            return [.approve(ids, stage: stage)]
        case .patch(let id, let text):
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                state.message = "Type path=value (e.g. camera.fov=60), or Esc to cancel."
                state.messageIsError = true
                return []
            }
            do {
                let assignments = try PatchText.assignments(text)
                // The diff preview is on screen already: Enter applies what it shows.
                if let detail = state.detail, detail.version.shotID == id {
                    _ = try Patcher.apply([.assignments(assignments)], to: detail.version)
                }
            } catch {
                state.message = "\(error)"
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            state.patchPreview = []
            state.message = "Creating a new version of \(id)…"
            state.messageIsError = false
            return [.patch(shotID: id, assignments: text)]
        case .refine(let id, let note):
            let note = note.trimmingCharacters(in: .whitespaces)
            guard !note.isEmpty else {
                state.message = "Type what to change (e.g. warmer, 85 mm, backlit), or Esc to cancel."
                state.messageIsError = true
                return []
            }
            state.prompt = nil
            state.message = "Asking FIBO's prompt model to refine \(id) with \"\(note)\"…"
            state.messageIsError = false
            return [.proposeRefinement(shotID: id, note: note)]
        }
    }

    /// The changes a patch would make, for the live preview while it is typed.
    static func preview(_ text: String, _ detail: ShotDetail?, shotID: String) -> [String] {
        guard let detail, detail.version.shotID == shotID else { return ["(loading the shot…)"] }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return ["Type path=value, e.g. camera.fov=60; Enter applies, Esc cancels."] }
        do {
            let patched = try Patcher.apply([.assignments(try PatchText.assignments(text))], to: detail.version)
            if patched.changes.isEmpty { return ["(no change)"] }
            return patched.changes.map(Patcher.describe)
        } catch {
            return ["✗ \(error)"]
        }
    }

    /// The JSON came back from the editor: its changes are shown and confirmed first.
    static func edited(shotID: String, json: String, _ state: inout AppState) -> [Effect] {
        guard let detail = state.detail, detail.version.shotID == shotID else { return [] }
        do {
            let edited = try JSONParser.parse(json)
            let changes = JSONDiff.changes(from: .object(detail.version.spec), to: edited)
            state.patchPreview = changes.isEmpty ? ["(no change)"] : changes.map(Patcher.describe)
            state.confirmation = .edited(shotID: shotID, json: json)
        } catch {
            state.message = "The edited JSON is not valid: \(error)"
            state.messageIsError = true
        }
        return []
    }
}
