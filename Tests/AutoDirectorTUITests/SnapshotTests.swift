import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// Frames of each screen at 80×24 and 160×48, compared with the text in `Snapshots/`. A
/// missing snapshot is written and the test fails, so a new one is looked at before it counts.
@Suite struct SnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static func check(_ name: String, _ frame: Frame) throws {
        let url = directory.appendingPathComponent("\(name).txt")
        let text = frame.text + "\n"
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try text.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("Recorded a new snapshot \(name).txt; check it and run again.")
            return
        }
        #expect(text == expected, "\(name) differs:\n\(text)")
    }

    static let sizes = [(80, 24), (160, 48)]

    @Test func tableWithJSON() throws {
        for (w, h) in Self.sizes {
            var state = Fixtures.state(width: w, height: h)
            _ = Update.update(&state, .key(.character("J")))
            try Self.check("table-json-\(w)x\(h)", Screen.render(state))
        }
    }

    @Test func previewInColourAndMonochrome() throws {
        for (w, h) in Self.sizes {
            var state = Fixtures.state(width: w, height: h)
            _ = Update.update(&state, .detailLoaded(Fixtures.detail(preview: Fixtures.gradient())))
            let frame = Screen.render(state)
            #expect(frame.cells.contains { $0.text == "▀" })
            try Self.check("preview-\(w)x\(h)", frame)
            var mono = Fixtures.state(width: w, height: h, colors: false)
            _ = Update.update(&mono, .detailLoaded(Fixtures.detail(preview: Fixtures.gradient())))
            let monoFrame = Screen.render(mono)
            #expect(monoFrame.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
            try Self.check("preview-mono-\(w)x\(h)", monoFrame)
        }
    }

    @Test func helpOverlayListsEveryAction() throws {
        for (w, h) in Self.sizes {
            var state = Fixtures.state(width: w, height: h)
            _ = Update.update(&state, .key(.character("?")))
            try Self.check("help-\(w)x\(h)", Screen.render(state))
        }
        var tall = Fixtures.state(width: 160, height: 48)
        _ = Update.update(&tall, .key(.character("?")))
        let text = Screen.render(tall).text
        for action in Action.allCases { #expect(text.contains(action.summary), "\(action)") }
        for action in CompareAction.allCases { #expect(text.contains(action.summary), "\(action), with room for the compare view's keys") }
        // Over the compare view: its own keys, as the keymap binds them.
        for (w, h) in Self.sizes {
            var state = Fixtures.state(width: w, height: h)
            state.compare = CompareState(shotID: "PROD-001")
            _ = Update.update(&state, .key(.character("?")))
            #expect(state.showHelp)
            let frame = Screen.render(state)
            try Self.check("help-compare-\(w)x\(h)", frame)
            for action in CompareAction.allCases { #expect(frame.text.contains(action.summary), "\(action)") }
        }
    }

    @Test func patchPromptAndJobs() throws {
        for (w, h) in Self.sizes {
            var state = Fixtures.state(width: w, height: h)
            _ = Update.update(&state, .render(.progress(RenderProgress(jobID: 3, total: 40, done: 10, cached: 2, failed: 0, providerCalls: 10, retries: 0, elapsed: 4))))
            _ = Update.update(&state, .key(.character("p")))
            for character in "camera.fov=60" { _ = Update.update(&state, .key(.character(character))) }
            try Self.check("patch-\(w)x\(h)", Screen.render(state))
        }
    }

    @Test func tooSmallAndASCII() throws {
        try Self.check("too-small", Screen.render(Fixtures.state(width: 60, height: 20)))
        let ascii = Screen.render(Fixtures.state(width: 80, height: 24, colors: false, ascii: true))
        #expect(ascii.cells.allSatisfy { $0.text.unicodeScalars.allSatisfy { $0.value < 0x7F } })
        try Self.check("ascii-80x24", ascii)
    }

    @Test func hostileCellsCannotReachTheTerminal() {
        var state = AppState(width: 80, height: 24, title: "p")
        let hostile = Fixtures.summary(1, subject: "Mug\u{1B}]52;c;ZXZpbA==\u{07}\u{1B}[2J")
        _ = Update.update(&state, .pageLoaded(ShotPage(total: 1, offset: 0, rows: [hostile]), state.query))
        let frame = Screen.render(state)
        #expect(frame.text.contains("Mug␛]52;c;ZXZpbA==␇␛[2J"))
        #expect(frame.cells.allSatisfy { $0.text.unicodeScalars.allSatisfy { $0.value >= 0x20 && !(0x7F..<0xA0).contains($0.value) } })
    }
}
