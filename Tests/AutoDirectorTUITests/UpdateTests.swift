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
        #expect(state.confirmation == .approve(["PROD-001", "PROD-002"]))
        #expect(Update.update(&state, .key(.character("y"))) == [.approve(["PROD-001", "PROD-002"])])
        #expect(state.selection.isEmpty)
        // n cancels.
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character(" ")))
        _ = Update.update(&state, .key(.character("a")))
        #expect(Update.update(&state, .key(.character("n"))).isEmpty)
        #expect(state.confirmation == nil)
    }

    @Test func rejectNeedsANote() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("r")))
        #expect(state.prompt == .rejectNote(["PROD-001"], ""))
        #expect(Update.update(&state, .key(.enter)).isEmpty)
        #expect(state.messageIsError)
        _ = Update.update(&state, .key(.character("r")))
        for character in "too dark" { _ = Update.update(&state, .key(.character(character))) }
        #expect(Update.update(&state, .key(.enter)) == [.reject(["PROD-001"], note: "too dark")])
    }

    @Test func patchShowsALivePreviewThenConfirms() {
        var state = Fixtures.state()
        _ = Update.update(&state, .key(.character("p")))
        for character in "camera.fov=60" { _ = Update.update(&state, .key(.character(character))) }
        #expect(state.patchPreview.first == "camera.fov 45 → 60")
        #expect(state.patchPreview.count == 2 && state.patchPreview[1].hasPrefix("seed "))
        #expect(Screen.render(state).text.contains("camera.fov 45 → 60"))
        #expect(Update.update(&state, .key(.enter)).isEmpty)
        #expect(state.confirmation == .patch(shotID: "PROD-001", assignments: "camera.fov=60"))
        #expect(Update.update(&state, .key(.character("y"))) == [.patch(shotID: "PROD-001", assignments: "camera.fov=60")])
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
