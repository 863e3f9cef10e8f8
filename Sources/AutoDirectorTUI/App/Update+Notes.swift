import AutoDirectorCore

/// Notes (SPEC §17): `n` writes one on the shot under the cursor, pinned by keyboard on its
/// picture first; `]` and `[` step through the shown version's open notes, `X` resolves the one
/// in focus; the pin placement's own keys.
extension Update {
    static func notes(_ action: Action, _ state: inout AppState) -> [Effect] {
        switch action {
        case .note:
            guard let id = state.current?.shot.id else { return nothing(&state) }
            if pinnable(&state) == id { return startPinning(.note(shotID: id), &state) }
            state.prompt = .note(shotID: id, pin: nil, "")
            state.promptCursor = 0
            state.message = "No picture to pin on: the note is written without a pin."
            state.messageIsError = false
            return []
        case .nextNote, .previousNote:
            return stepNote(forward: action == .nextNote, &state)
        case .resolveNote:
            return resolve(&state)
        default:
            return []
        }
    }

    /// The shot under the cursor when its picture is on screen to pin on.
    static func pinnable(_ state: inout AppState) -> String? {
        guard let detail = state.detail, detail.preview != nil, detail.version.shotID == state.current?.shot.id else { return nil }
        return detail.version.shotID
    }

    static func startPinning(_ purpose: PinPlacement.Purpose, _ state: inout AppState) -> [Effect] {
        state.pinning = PinPlacement(purpose: purpose)
        state.tab = .preview
        state.message = nil
        return []
    }

    /// Keys while a pin is placed: arrows and hjkl move a twentieth of the picture, Shift (or
    /// HJKL) a hundredth; `b` drops a rectangle's corner (again: back to a point); Enter places
    /// the pin, `s` goes on without one; Esc cancels the note.
    static func pinKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var placement = state.pinning else { return [] }
        let (step, fine) = (PinPlacement.step, PinPlacement.fineStep)
        switch key {
        case .left, .character("h"): placement.move(dx: -step, dy: 0)
        case .right, .character("l"): placement.move(dx: step, dy: 0)
        case .up, .character("k"): placement.move(dx: 0, dy: -step)
        case .down, .character("j"): placement.move(dx: 0, dy: step)
        case .shiftLeft, .character("H"): placement.move(dx: -fine, dy: 0)
        case .shiftRight, .character("L"): placement.move(dx: fine, dy: 0)
        case .shiftUp, .character("K"): placement.move(dx: 0, dy: -fine)
        case .shiftDown, .character("J"): placement.move(dx: 0, dy: fine)
        case .character("b"):
            placement.corner = placement.corner == nil ? (placement.x, placement.y) : nil
        case .escape:
            state.pinning = nil
            state.message = "Cancelled."
            state.messageIsError = false
            return []
        case .enter, .character("s"):
            state.pinning = nil
            let pin = key == .enter ? placement.pin : nil
            switch placement.purpose {
            case .note(let id): state.prompt = .note(shotID: id, pin: pin, "")
            case .retake(let id): state.prompt = .reviewNote(.retake, [id], "", pin: pin)
            }
            state.promptCursor = 0
            state.message = pin.map { "Pinned at \($0.text)." }
            return []
        default:
            state.message = "Placing a pin: arrows or hjkl move, Shift or HJKL finely, b a corner, Enter places, s no pin, Esc cancels."
            state.messageIsError = false
            return []
        }
        state.pinning = placement
        return []
    }

    /// `X`: the note in focus (`]`), else the first open one, resolved; a resolved one in focus
    /// opened again. On a version with none of its own open, the first open retake note of the
    /// version before that it answers (a retake's new version resolves what it fixed).
    private static func resolve(_ state: inout AppState) -> [Effect] {
        guard let notes = state.detail?.notes, state.detail?.version.shotID == state.current?.shot.id else { return nothing(&state) }
        if let thread = notes.threads.first(where: { $0.number == state.focusedNote }) ?? notes.threads.first(where: { $0.note.isOpen }),
            thread.note.state != .withdrawn
        {
            state.focusedNote = thread.number
            state.message = "\(thread.note.isOpen ? "Resolving" : "Reopening") note #\(thread.number)…"
            state.messageIsError = false
            return [.setNoteState(noteID: thread.note.id, number: thread.number, resolved: thread.note.isOpen)]
        }
        if let answered = notes.answers.first(where: { $0.note.isOpen }) {
            state.message = "Resolving v\(answered.note.version)'s note #\(answered.number), which v\(notes.version) answers…"
            state.messageIsError = false
            return [.setNoteState(noteID: answered.note.id, number: answered.number, resolved: true)]
        }
        state.message = "No open notes on \(notes.shotID) v\(notes.version)."
        state.messageIsError = false
        return []
    }

    /// The next (or previous) open thread of the version shown, wrapping around; the Notes tab
    /// shows it and its pin is drawn in focus.
    private static func stepNote(forward: Bool, _ state: inout AppState) -> [Effect] {
        guard let notes = state.detail?.notes, state.detail?.version.shotID == state.current?.shot.id else { return nothing(&state) }
        let open = notes.threads.filter(\.note.isOpen).map(\.number)
        guard !open.isEmpty else {
            state.focusedNote = nil
            state.message = "No open notes on \(notes.shotID) v\(notes.version)."
            state.messageIsError = false
            return []
        }
        let current = state.focusedNote
        let next: Int
        if forward {
            next = open.first { current == nil || $0 > current! } ?? open[0]
        } else {
            next = open.last { current == nil || $0 < current! } ?? open[open.count - 1]
        }
        state.focusedNote = next
        let position = (open.firstIndex(of: next) ?? 0) + 1
        if let thread = notes.threads.first(where: { $0.number == next }) {
            state.message = "Note #\(next) (\(position) of \(open.count) open): \(thread.note.body)"
            state.messageIsError = false
            // The Notes tab at the thread, unless the picture (with its pin in focus) is shown.
            if state.tab != .preview {
                state.tab = .notes
                state.detailScroll = NotesText.firstLine(of: next, in: notes)
            }
        }
        return []
    }
}
