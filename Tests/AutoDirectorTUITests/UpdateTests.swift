import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// `update` alone: keys in, state and effects out.
@Suite struct UpdateTests {
    @Test func movingLoadsTheDetailOfTheNewShotAndPagesBeyondTheWindow() {
        var state = Fixtures.state()
        #expect(Update.update(&state, .key(.character("j"))) == [.loadDetail(shotID: "PROD-002")])
        #expect(state.cursor == 1)
        _ = Update.update(&state, .key(.character("G")))
        #expect(state.cursor == 39)
        _ = Update.update(&state, .key(.character("k")))
        #expect(state.cursor == 38)
        // A window ending before the cursor is loaded around it.
        var big = AppState(width: 80, height: 24, title: "p")
        _ = Update.update(&big, .pageLoaded(Fixtures.page(total: 100_000, count: 100), big.query))
        let effects = Update.update(&big, .key(.character("G")))
        #expect(effects.contains { if case .loadPage(let q) = $0 { return q.offset > 99_000 } else { return false } })
        #expect(big.current == nil)
    }

    @Test func bulkApproveAsksFirst() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character(" ")))
        #expect(state.selection == ["PROD-001", "PROD-002"])
        #expect(Update.update(&state, .key(.character("a"))).isEmpty)
        #expect(state.confirmation == .approve(["PROD-001", "PROD-002"], stage: nil))
        #expect(Update.update(&state, .key(.character("y"))) == [.approve(["PROD-001", "PROD-002"], stage: nil)])
        #expect(state.selection.isEmpty)
        // n cancels.
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character("a")))
        #expect(Update.update(&state, .key(.character("n"))).isEmpty)
        #expect(state.confirmation == nil)
    }

    @Test func rejectNeedsANoteAndKeepsThePromptOpenUntilItHasOne() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("r")))
        #expect(state.prompt == .reviewNote(.reject, ["PROD-001"], "", pin: nil))
        #expect(Update.update(&state, .key(.enter)).isEmpty)
        #expect(state.messageIsError)
        #expect(state.prompt == .reviewNote(.reject, ["PROD-001"], "", pin: nil), "the prompt stays open")
        for character in "too dark" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)) == [.review(.reject, ["PROD-001"], note: "too dark")])
        #expect(state.prompt == nil)
    }

    /// `t` asks for what to change (a retake needs a note), `H` holds the shot and releases it
    /// when it is on hold; a decision shows in the row at once (SPEC §17).
    @Test func retakeAsksWhatToChangeAndHoldToggles() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("t")))
        #expect(state.prompt == .reviewNote(.retake, ["PROD-001"], "", pin: nil), "no picture loaded: no pin to place")
        _ = Update.update(&state, .key(.enter))
        #expect(state.messageIsError && state.message?.hasPrefix("A retake needs a note") == true)
        for character in "warmer" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)) == [.review(.retake, ["PROD-001"], note: "warmer")])
        #expect(Screen.render(state).text.contains("Request changes on") == false, "the prompt is gone")

        #expect(Update.update(&state, .key(.character("H"))) == [.review(.hold, ["PROD-001"], note: nil)])
        _ = Update.update(&state, .reviewed(ReviewDecision(status: .onHold, shotIDs: ["PROD-001"], message: "On hold: PROD-001 (1 changed).")))
        #expect(state.page?.rows.first?.review == .onHold)
        #expect(Screen.render(state).text.contains("on hold"))
        // The cursor moved on to the next pending shot; back on the held one, H releases it.
        #expect(state.current?.shot.id == "PROD-002")
        _ = Update.update(&state, .key(.character("k")))
        #expect(Update.update(&state, .key(.character("H"))) == [.review(.release, ["PROD-001"], note: nil)])
        // A selection is confirmed first, in the words of the action.
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character("t")))
        #expect(state.prompt == .reviewNote(.retake, ["PROD-001", "PROD-002"], "", pin: nil))
        for character in "logo" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)).isEmpty)
        #expect(state.confirmation?.question == "Request changes on 2 shots?")
    }

    @Test func enterInThePatchPromptAppliesWhatThePreviewShows() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("p")))
        for character in "camera.fov=60" { _ = Update.update(&state, .key(.character(character))) }
        // The parent's seed is kept: the preview lists the one change.
        #expect(state.patchPreview == ["camera.fov 45 → 60"])
        #expect(Screen.render(state).text.contains("camera.fov 45 → 60"))
        #expect(Update.update(&state, .key(.enter)) == [.patch(shotID: "PROD-001", assignments: "camera.fov=60")])
        #expect(state.confirmation == nil && state.prompt == nil)
        // An invalid patch keeps the prompt open with the reason.
        _ = Update.update(&state, .key(.character("p")))
        for character in "camera.fov=0" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)).isEmpty)
        #expect(state.prompt == .patch(shotID: "PROD-001", "camera.fov=0"))
        #expect(state.messageIsError && state.message?.contains("camera.fov") == true)
    }

    @Test func everyPromptEditsItsLine() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("/")))
        func type(_ text: String) { for character in text { _ = Update.update(&state, .key(.character(character))) } }
        func press(_ keys: Key...) { for key in keys { _ = Update.update(&state, .key(key)) } }
        type("mug red")
        press(.control("w"))
        #expect(state.prompt?.text == "mug ")
        press(.left, .left, .left)
        type("X")
        #expect(state.prompt?.text == "mXug ")
        press(.home)
        type("A")
        press(.control("e"))
        type("Z")
        #expect(state.prompt?.text == "AmXug Z")
        press(.control("a"), .delete, .right, .backspace)
        #expect(state.prompt?.text == "Xug Z")
        press(.end, .control("u"))
        #expect(state.prompt?.text == "")
        type("lens")
        press(.left, .left, .control("k"))
        #expect(state.prompt?.text == "le")
        #expect(Screen.render(state).text.contains("Filter (words, status: stage: assignee: notes:open retakes>=N new): le"))
    }

    @Test func confirmationsShowTheirDefault() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character("a")))
        #expect(Screen.render(state).text.contains("Approve 2 shots? [y/N]"))
        // Enter is the default: no.
        #expect(Update.update(&state, .key(.enter)).isEmpty)
        #expect(state.confirmation == nil && state.message == "Cancelled.")
    }

    @Test func aDecisionShowsAtOnceMovesToTheNextPendingAndRefreshesBehind() {
        var state = Fixtures.state()
        // PROD-002 is already approved: the cursor skips it.
        state.page?.rows[1].review = .approved
        #expect(Update.update(&state, .key(.character("a"))) == [.approve(["PROD-001"], stage: nil)])
        let effects = Update.update(&state, .reviewed(ReviewDecision(status: .approved, shotIDs: ["PROD-001"], message: "Approved PROD-001 (1 changed).")))
        #expect(state.row(at: 0)?.review == .approved, "the row shows the written status without a page load")
        #expect(state.current?.shot.id == "PROD-003")
        #expect(effects.contains(.loadDetail(shotID: "PROD-003")))
        #expect(effects.contains { if case .loadPage = $0 { return true } else { return false } })
        // The refreshed page keeps the cursor on its shot even when rows moved.
        let shifted = ShotPage(total: 39, offset: 0, rows: Array(Fixtures.page().rows.dropFirst()))
        _ = Update.update(&state, .pageLoaded(shifted, state.query))
        #expect(state.current?.shot.id == "PROD-003")
        // With advancing off, the cursor stays on the decided shot.
        var still = Fixtures.state()
        still.advanceAfterReview = false
        _ = Update.update(&still, .reviewed(ReviewDecision(status: .rejected, shotIDs: ["PROD-001"], message: "Rejected")))
        #expect(still.current?.shot.id == "PROD-001" && still.current?.review == .rejected)
    }

    @Test func aDecisionOnTheShownShotLoadsItsDetailOnceAndTheRefreshedPageNoMore() {
        var state = Fixtures.state()
        state.advanceAfterReview = false
        let effects = Update.update(&state, .reviewed(ReviewDecision(status: .approved, shotIDs: ["PROD-001"], message: "Approved")))
        #expect(effects.filter { $0 == .loadDetail(shotID: "PROD-001") }.count == 1, "its review history changed")
        var page = Fixtures.page()
        page.rows[0].review = .approved
        #expect(!Update.update(&state, .pageLoaded(page, state.query)).contains(.loadDetail(shotID: "PROD-001")))
        // A decision on other shots leaves the shown detail alone.
        let others = Update.update(&state, .reviewed(ReviewDecision(status: .rejected, shotIDs: ["PROD-002"], message: "Rejected")))
        #expect(!others.contains { if case .loadDetail = $0 { return true } else { return false } })
    }

    @Test func aChangeByAnotherProcessReloadsWhatIsShown() {
        var state = Fixtures.state()
        let effects = Update.update(&state, .storeChanged)
        #expect(effects.contains { if case .loadPage(let q) = $0 { return q.offset == 0 } else { return false } })
        #expect(effects.contains(.loadJob))
        // The detail follows the page: loaded again only when the shown shot's row changed.
        #expect(Update.update(&state, .pageLoaded(Fixtures.page(), state.query)).isEmpty, "the same rows: nothing to load")
        var rejected = Fixtures.page()
        rejected.rows[0].review = .rejected
        #expect(Update.update(&state, .pageLoaded(rejected, state.query)) == [.loadDetail(shotID: "PROD-001")])
        var rendered = rejected
        rendered.rows[0].hash = String(repeating: "f", count: 64)
        rendered.rows[0].shot.latestVersion = 2
        #expect(Update.update(&state, .pageLoaded(rendered, state.query)) == [.loadDetail(shotID: "PROD-001")], "a new version")
        // Rows elsewhere changing leave it alone.
        rendered.rows[5].renderStatus = .failed
        #expect(Update.update(&state, .pageLoaded(rendered, state.query)).isEmpty)
    }

    @Test func aRunningRenderRefreshesTheRowsAtMostEveryIntervalAndTheDetailOnlyWhenItsShotChanged() {
        var state = Fixtures.state(width: 160, height: 48)
        _ = Update.update(&state, .render(.started(jobID: 7, total: 40)))
        func progress(_ elapsed: Double) -> [Effect] {
            Update.update(&state, .render(.progress(RenderProgress(jobID: 7, total: 40, done: 1, cached: 0, failed: 0, providerCalls: 1, retries: 0, elapsed: elapsed))))
        }
        func pages(_ effects: [Effect]) -> Int { effects.filter { if case .loadPage = $0 { return true } else { return false } }.count }
        #expect(pages(progress(0.01)) == 1)
        #expect(pages(progress(0.2)) == 0, "within the interval of the last refresh")
        #expect(pages(progress(0.45)) == 1)
        // An unchanged shown shot: its detail is not loaded again, however often the rows are.
        for _ in 0..<5 { #expect(Update.update(&state, .pageLoaded(Fixtures.page(), state.query)).isEmpty) }
        // The shown shot rendered again: now it is.
        var page = Fixtures.page()
        page.rows[0].renderStatus = .running
        #expect(Update.update(&state, .pageLoaded(page, state.query)) == [.loadDetail(shotID: "PROD-001")])
    }

    @Test func starSelectsEveryShotTheFilterMatchesAndTogglesBack() {
        var state = Fixtures.state()
        #expect(Update.update(&state, .key(.character("*"))) == [.selectMatching(state.query)])
        let ids = (1...40).map { String(format: "PROD-%03d", $0) }
        _ = Update.update(&state, .matching(ids, state.query))
        #expect(state.selection.count == 40)
        _ = Update.update(&state, .key(.character("a")))
        #expect(state.confirmation == .approve(ids, stage: nil))
        #expect(Screen.render(state).text.contains("Approve 40 shots? [y/N]"))
        #expect(Update.update(&state, .key(.character("y"))) == [.approve(ids, stage: nil)])
        _ = Update.update(&state, .matching(ids, state.query))
        #expect(Update.update(&state, .key(.character("*"))).isEmpty)
        #expect(state.selection.isEmpty)
    }

    @Test func filterAndSortReloadFromTheFirstRow() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("j")))
        _ = Update.update(&state, .key(.character("/")))
        for character in "mug" { _ = Update.update(&state, .key(.character(character))) }
        let effects = Update.update(&state, .key(.enter))
        #expect(state.cursor == 0)
        #expect(effects.contains { if case .loadPage(let q) = $0 { return q.filter == "mug" && q.offset == 0 } else { return false } })
        let sorted = Update.update(&state, .key(.character("s")))
        #expect(state.query.sort == .id)
        #expect(sorted.contains { if case .loadPage(let q) = $0 { return q.sort == .id } else { return false } })
    }

    @Test func renderEventsDriveTheJobLine() {
        var state = Fixtures.state(width: 160, height: 48)
        _ = Update.update(&state, .render(.started(jobID: 7, total: 10)))
        _ = Update.update(&state, .render(.progress(RenderProgress(jobID: 7, total: 10, done: 5, cached: 0, failed: 1, providerCalls: 5, retries: 0, elapsed: 2))))
        _ = Update.update(&state, .render(.itemFailed(jobID: 7, shotID: "PROD-003", version: 1, message: "HTTP 500\u{1B}[2J")))
        let text = Screen.render(state).text
        #expect(text.contains("Job 7 running"))
        #expect(text.contains("6/10 3/s"))
        #expect(text.contains("PROD-003 v1: HTTP 500␛[2J"))
        #expect(Update.update(&state, .key(.character("c"))).isEmpty)
        #expect(state.confirmation == .cancelJob(7))
        let done = Update.update(&state, .render(.finished(jobID: 7, state: .done, progress: RenderProgress(jobID: 7, total: 10, done: 10, cached: 0, failed: 0, providerCalls: 10, retries: 0, elapsed: 3))))
        #expect(done.contains { if case .loadPage = $0 { return true } else { return false } })
    }

    @Test func ctrlCAndQQuit() {
        var state = Fixtures.state()
        #expect(Update.update(&state, .key(.control("c"))) == [.quit])
        var other = Fixtures.state()
        #expect(Update.update(&other, .key(.character("q"))) == [.quit])
        #expect(other.quitting)
    }
}
