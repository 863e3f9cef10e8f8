import Foundation
import Testing
@testable import AutoDirectorTUI

@Suite struct SettingsTests {
    @Test func advancingAfterAReviewCanBeTurnedOff() {
        #expect(TUISettings.load("").0.advanceAfterReview)
        let (off, problems) = TUISettings.load("# mine\nadvance_after_review = no\n")
        #expect(!off.advanceAfterReview && problems.isEmpty)
        let (_, bad) = TUISettings.load("advance_after_review = maybe\ncolour = red\n")
        #expect(bad.count == 2 && bad[0].hasPrefix("tui.conf line 1:"))
        let url = TUISettings.fileURL(environment: ["XDG_CONFIG_HOME": "/x"])
        #expect(url?.path == "/x/autodirector/tui.conf")
    }

    @Test func savedViewsKeepTheirTermsAsWrittenInFileOrder() {
        let (settings, problems) = TUISettings.load("""
            view.mine = assignee:@me status:pending
            view.Brand-2 = stage:brand notes:open Red Mug
            view.mine = assignee:@me
            view. = status:pending
            view.bad name = x
            view.empty =
            """)
        #expect(settings.views == [
            TUISettings.View(name: "Brand-2", terms: "stage:brand notes:open Red Mug"), TUISettings.View(name: "mine", terms: "assignee:@me"),
        ], "a name given twice: the later line")
        #expect(problems.count == 3 && problems.allSatisfy { $0.contains("view.NAME = terms") }, "\(problems)")
        #expect(Keymap().action(for: .character("w")) == .view)
    }

    @Test func starIsBoundToSelectAllByDefault() {
        #expect(Keymap().action(for: .character("*")) == .selectAll)
    }

    @Test func lineEditingStaysWithinTheLine() {
        var line = LineEditor("ab", cursor: 99)
        #expect(line.cursor == 2)
        var handled = line.apply(.right)
        #expect(handled && line.cursor == 2)
        handled = line.apply(.control("w"))
        #expect(handled && line.text.isEmpty)
        handled = line.apply(.backspace) && line.apply(.delete) && line.apply(.left)
        #expect(handled && line.text.isEmpty && line.cursor == 0)
        handled = line.apply(.pageDown)
        #expect(!handled, "not an editing key")
        for _ in 0..<(LineEditor.maxLength + 5) { _ = line.apply(.character("x")) }
        #expect(line.text.count == LineEditor.maxLength)
    }

    @Test func wrappingKeepsEveryCharacterAndBreaksAtSpaces() {
        let long = "    \"" + String(repeating: "x", count: 100) + "\""
        let rows = DetailView.wrapped([long], width: 40, ascii: false)
        #expect(rows.allSatisfy { TerminalText.width($0.text) <= 40 })
        #expect(rows.map { $0.text.trimmingCharacters(in: .whitespaces) }.joined() == long.trimmingCharacters(in: .whitespaces))
        #expect(!rows[0].text.trimmingCharacters(in: .whitespaces).isEmpty, "no blank first row")
        let words = DetailView.wrapped(["seed derived from the SHA-256 of the canonical spec without the seed"], width: 30, ascii: false)
        #expect(words.map(\.text) == ["seed derived from the SHA-256", "  of the canonical spec", "  without the seed"])
        let huge = DetailView.wrapped([String(repeating: "y", count: 10_000)], width: 20, ascii: false)
        #expect(huge.count <= 20 && huge.last?.text.hasSuffix("…") == true)
    }
}
