import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// Notes in the TUI (SPEC §17): `n` and `t` place a pin by keyboard on the picture, then ask
/// for the note; pins are painted into the picture's cells; `]` and `[` step through open notes.
@Suite struct NoteKeysTests {
    static func notes(_ threads: [(NotePin?, Note.State)]) -> VersionNotes {
        VersionNotes(
            shotID: "PROD-001", version: 1,
            threads: threads.enumerated().map { index, thread in
                NoteThread(
                    number: index + 1,
                    note: Note(
                        id: Int64(index + 10), shotID: "PROD-001", version: 1, author: "ana", body: "note \(index + 1)", pin: thread.0,
                        state: thread.1, createdAt: Date(timeIntervalSince1970: 1_800_000_000)),
                    replies: [])
            },
            answers: [])
    }

    static func state(notes: VersionNotes? = nil) -> AppState {
        var state = Fixtures.state()
        var detail = Fixtures.detail(preview: Fixtures.gradient())
        detail.notes = notes
        if let notes { detail.lines[.notes] = NotesText.lines(notes) }
        _ = Update.update(&state, .detailLoaded(detail))
        return state
    }

    @Test func aNoteIsPinnedByKeyboardThenWritten() {
        var state = Self.state()
        _ = Update.update(&state, .key(.character("n")))
        #expect(state.pinning?.purpose == .note(shotID: "PROD-001") && state.tab == .preview)
        #expect(Screen.render(state).text.contains("Pin at 0.5,0.5"))
        // Right twice, down once, then one fine step left: 0.5 + 0.1 - 0.01, 0.5 + 0.05.
        for key in [Key.right, .character("l"), .down, .shiftLeft] { _ = Update.update(&state, .key(key)) }
        #expect(state.pinning?.pin == .point(x: 0.59, y: 0.55))
        _ = Update.update(&state, .key(.enter))
        #expect(state.pinning == nil && state.prompt == .note(shotID: "PROD-001", pin: .point(x: 0.59, y: 0.55), ""))
        #expect(Screen.render(state).text.contains("Note on PROD-001 (pin 0.59,0.55):"))
        _ = Update.update(&state, .key(.enter))
        #expect(state.messageIsError && state.prompt != nil, "an empty note is refused, the prompt stays")
        for character in "logo too small" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)) == [.writeNote(shotID: "PROD-001", text: "logo too small", pin: .point(x: 0.59, y: 0.55))])
    }

    @Test func aRectangleFromACornerAndNoPinAndCancel() {
        var state = Self.state()
        _ = Update.update(&state, .key(.character("t")))
        #expect(state.pinning?.purpose == .retake(shotID: "PROD-001"))
        for key in [Key.character("b"), .right, .right, .down] { _ = Update.update(&state, .key(key)) }
        #expect(state.pinning?.pin == .box(x: 0.5, y: 0.5, width: 0.1, height: 0.05))
        #expect(Screen.render(state).text.contains("Rectangle 0.5,0.5,0.1,0.05"))
        _ = Update.update(&state, .key(.enter))
        #expect(state.prompt == .reviewNote(.retake, ["PROD-001"], "", pin: .box(x: 0.5, y: 0.5, width: 0.1, height: 0.05)))
        for character in "move it" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)) == [.review(.retake, ["PROD-001"], note: "move it", pin: .box(x: 0.5, y: 0.5, width: 0.1, height: 0.05))])

        _ = Update.update(&state, .key(.character("n")))
        _ = Update.update(&state, .key(.character("s")))
        #expect(state.prompt == .note(shotID: "PROD-001", pin: nil, ""), "s: a note without a pin")
        _ = Update.update(&state, .key(.escape))
        _ = Update.update(&state, .key(.character("n")))
        _ = Update.update(&state, .key(.escape))
        #expect(state.pinning == nil && state.prompt == nil && state.message == "Cancelled.")
        // Keys of the table do nothing while a pin is placed: `a` does not approve.
        _ = Update.update(&state, .key(.character("n")))
        #expect(Update.update(&state, .key(.character("a"))).isEmpty && state.pinning != nil)
    }

    @Test func thePinsArePaintedIntoThePictureAndTheCaptionCountsThem() {
        let plain = Screen.render(Self.state())
        var state = Self.state(notes: Self.notes([(.point(x: 0.5, y: 0.5), .open), (.box(x: 0.1, y: 0.1, width: 0.3, height: 0.3), .resolved), (nil, .open)]))
        let pinned = Screen.render(state)
        #expect(pinned.text.contains("· 2 pins"))
        #expect(pinned.cells != plain.cells, "the pins change the picture's cells")
        // Amber (the open pin) is in the picture: xterm 214 or 220 for (255, 196, 0).
        let amber = PreviewView.xterm256(255, 196, 0)
        func count(_ frame: Frame, _ colour: UInt8) -> Int {
            frame.cells.filter { $0.style.foreground == .indexed(colour) || $0.style.background == .indexed(colour) }.count
        }
        #expect(count(pinned, amber) > count(plain, amber) + 4)
        // A focused note is cyan.
        _ = Update.update(&state, .key(.character("]")))
        #expect(state.focusedNote == 1)
        let cyan = PreviewView.xterm256(0, 220, 255)
        #expect(count(Screen.render(state), cyan) > count(pinned, cyan) + 4)
    }

    @Test func bracketsStepThroughTheOpenNotesOnly() {
        var state = Self.state(notes: Self.notes([(nil, .open), (nil, .resolved), (.point(x: 0.2, y: 0.2), .open)]))
        _ = Update.update(&state, .key(.character("o")))
        #expect(state.tab == .notes)
        #expect(Screen.render(state).text.contains("3 notes on v1, 2 open"))
        _ = Update.update(&state, .key(.character("]")))
        #expect(state.focusedNote == 1 && state.message?.hasPrefix("Note #1 (1 of 2 open): note 1") == true)
        _ = Update.update(&state, .key(.character("]")))
        #expect(state.focusedNote == 3, "the resolved #2 is skipped")
        _ = Update.update(&state, .key(.character("]")))
        #expect(state.focusedNote == 1, "round again")
        _ = Update.update(&state, .key(.character("[")))
        #expect(state.focusedNote == 3)
        #expect(Update.update(&state, .key(.character("X"))) == [.setNoteState(noteID: 12, number: 3, resolved: true)])
        var none = Self.state(notes: Self.notes([(nil, .resolved)]))
        _ = Update.update(&none, .key(.character("]")))
        #expect(none.focusedNote == nil && none.message == "No open notes on PROD-001 v1.")
        // X with nothing in focus takes the first open note; on a resolved one in focus, reopens.
        var fresh = Self.state(notes: Self.notes([(nil, .resolved), (nil, .open)]))
        #expect(Update.update(&fresh, .key(.character("X"))) == [.setNoteState(noteID: 11, number: 2, resolved: true)])
        fresh.focusedNote = 1
        #expect(Update.update(&fresh, .key(.character("X"))) == [.setNoteState(noteID: 10, number: 1, resolved: false)])
    }

    @Test func saturatedColoursKeepTheirHueIn256Colours() {
        #expect(PreviewView.xterm256(255, 196, 0) == 220, "amber is gold, not grey")
        #expect(PreviewView.xterm256(0, 220, 255) == 45)
        #expect(PreviewView.xterm256(255, 0, 0) == 196)
        #expect(PreviewView.xterm256(0, 0, 255) == 21)
        #expect(PreviewView.xterm256(128, 128, 128) == 244, "a grey stays on the grey ramp")
    }

    @Test func xOnANewVersionResolvesTheRetakeNoteItAnswers() {
        var notes = Self.notes([])
        notes.version = 2
        notes.answers = Self.notes([(.point(x: 0.6, y: 0.6), .open)]).threads
        var state = Self.state(notes: notes)
        _ = Update.update(&state, .key(.character("o")))
        let text = Screen.render(state).text
        #expect(text.contains("Answers the retake notes of v1:") && text.contains("#1 open  note 1"), "\(text)")
        #expect(Update.update(&state, .key(.character("X"))) == [.setNoteState(noteID: 10, number: 1, resolved: true)])
        #expect(state.message == "Resolving v1's note #1, which v2 answers…")
    }

    @Test func withoutAPictureTheNoteIsWrittenWithoutAPin() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("n")))
        #expect(state.pinning == nil && state.prompt == .note(shotID: "PROD-001", pin: nil, ""))
    }

    @Test func painterDrawsDeterministicMarksInsideThePicture() {
        var a = [UInt8](repeating: 0, count: 200 * 100 * 3)
        var b = a
        let marks = [
            PinPainter.Mark(number: 12, pin: .point(x: 1, y: 0)), PinPainter.Mark(number: 3, pin: .box(x: 0.1, y: 0.5, width: 0.5, height: 0.5), open: false),
        ]
        PinPainter.paint(marks, on: &a, width: 200, height: 100)
        PinPainter.paint(marks, on: &b, width: 200, height: 100)
        #expect(a == b && a.count == 200 * 100 * 3)
        #expect(a.contains(255) && a.contains(170), "amber and grey are drawn")
        // A pin at the corner keeps its label inside the picture.
        var small = [UInt8](repeating: 0, count: 4 * 4 * 3)
        PinPainter.paint([PinPainter.Mark(number: 99, pin: .point(x: 1, y: 1))], on: &small, width: 4, height: 4)
        #expect(small.count == 48)
    }
}

/// `A` assigns, `m` shows my queue (SPEC §17).
@Suite struct AssignKeysTests {
    @Test func assignPromptsForANameAndMyQueueFiltersThePage() {
        var state = Fixtures.state()
        state.reviewer = "ana"
        _ = Update.update(&state, .key(.character("A")))
        #expect(state.prompt == .assignee(["PROD-001"], "ana"), "my own name offered")
        #expect(Screen.render(state).text.contains("Assign PROD-001 to: ana"))
        for _ in 0..<3 { _ = Update.update(&state, .key(.backspace)) }
        for character in "bo" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)) == [.assign(["PROD-001"], to: "bo")])

        let effects = Update.update(&state, .key(.character("m")))
        #expect(state.query.assignee == "ana" && state.query.awaitingDecision)
        #expect(effects.contains { if case .loadPage(let query) = $0 { return query.assignee == "ana" } else { return false } })
        #expect(Screen.render(state).text.contains("my queue"))
        _ = Update.update(&state, .key(.character("m")))
        #expect(state.query.assignee == nil && !state.query.awaitingDecision)
    }
}

/// `a` in a project with approval stages asks which (the next stage the shot waits for is
/// offered), and the table shows each shot's progress (SPEC §17).
@Suite struct StageKeysTests {
    @Test func approveAsksForTheStageAndTheTableShowsProgress() throws {
        var state = Fixtures.state()
        #expect(Update.update(&state, .stagesLoaded(try ApprovalStages(parsing: "art, brand"))).isEmpty)
        var page = try #require(state.page)
        page.rows[0].approvedStages = ["art"]
        state.page = page
        let frame = Screen.render(state).text
        #expect(frame.contains("STAGES") && frame.contains("art ✓ brand ·") && frame.contains("art · brand ·"), "\(frame)")

        #expect(Update.update(&state, .key(.character("a"))).isEmpty)
        #expect(state.prompt == .stage(["PROD-001"], "brand"), "the stage PROD-001 waits for")
        #expect(Screen.render(state).text.contains("Approve PROD-001 at stage (art, brand): brand"))
        for _ in 0..<5 { _ = Update.update(&state, .key(.backspace)) }
        for character in "legal" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)).isEmpty && state.messageIsError, "an unknown stage keeps the prompt open")
        #expect(state.prompt == .stage(["PROD-001"], "legal"))
        for _ in 0..<5 { _ = Update.update(&state, .key(.backspace)) }
        for character in "brand" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)) == [.approve(["PROD-001"], stage: "brand")])

        // A selection is confirmed, at the stage chosen.
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character("a")))
        #expect(state.prompt == .stage(["PROD-001", "PROD-002"], "art"))
        _ = Update.update(&state, .key(.enter))
        #expect(state.confirmation == .approve(["PROD-001", "PROD-002"], stage: "art"))
        #expect(Update.update(&state, .key(.character("y"))) == [.approve(["PROD-001", "PROD-002"], stage: "art")])
    }
}

/// Filters that combine, saved views (`w`) and what is new since my last visit (SPEC §17).
@Suite struct ViewKeysTests {
    @Test func wStepsThroughSavedViewsAndABadFilterKeepsThePromptOpen() {
        var state = Fixtures.state()
        state.reviewer = "ana"
        _ = Update.update(&state, .key(.character("w")))
        #expect((state.message ?? "").contains("No saved views"))
        state.views = [TUISettings.View(name: "mine", terms: "assignee:@me status:pending"), TUISettings.View(name: "odd", terms: "colour:red")]
        var effects = Update.update(&state, .key(.character("w")))
        #expect(state.query.filter == "assignee:@me status:pending" && state.viewIndex == 0 && (state.message ?? "").hasPrefix("View mine:"))
        #expect(effects.contains { if case .loadPage(let query) = $0 { return query.filter == "assignee:@me status:pending" } else { return false } })
        effects = Update.update(&state, .key(.character("w")))
        #expect(effects.isEmpty && state.messageIsError && (state.message ?? "").contains("colour:"), "a view that cannot be read is said, not applied")
        _ = Update.update(&state, .key(.character("w")))
        #expect(state.query.filter.isEmpty && state.viewIndex == nil && (state.message ?? "").hasPrefix("Every shot"))

        _ = Update.update(&state, .key(.character("/")))
        for character in "retakes>=x" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)).isEmpty && state.messageIsError && state.prompt == .filter("retakes>=x"))
    }

    @Test func rowsChangedSinceMyLastVisitAreMarked() throws {
        var state = Fixtures.state()
        var page = try #require(state.page)
        page.rows[1].isNew = true
        state.page = page
        let lines = Screen.render(state).text.split(separator: "\n")
        #expect(lines.contains { $0.contains("PROD-002") && $0.contains("v1•") } && !lines.contains { $0.contains("PROD-001") && $0.contains("v1•") })
        let effects = Update.update(&state, .visitRecorded(previous: Date(timeIntervalSince1970: 1_790_000_000)))
        #expect(state.query.lastVisit != nil && effects.contains { if case .loadPage = $0 { return true } else { return false } })
    }
}
