import Testing
@testable import AutoDirectorTUI

@Suite struct FrameTests {
    @Test func wideCharactersTakeTwoCellsAndAreClipped() {
        var frame = Frame(width: 6, height: 1)
        #expect(frame.put("a漢b", x: 0, y: 0) == 4)
        #expect(frame.lines == ["a漢b  "])
        #expect(frame[2, 0] == .continuation)
        var clipped = Frame(width: 3, height: 1)
        clipped.put("ab漢", x: 0, y: 0)
        #expect(clipped.lines == ["ab "])
    }

    @Test func escapeSequencesBecomeVisiblePlaceholders() {
        let cell = "evil\u{1B}]52;c;SGVsbG8=\u{07}\u{1B}[2J\u{9B}x\u{202E}"
        let clean = TerminalText.clean(cell)
        #expect(clean == "evil␛]52;c;SGVsbG8=␇␛[2J�x�")
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) })
        #expect(TerminalText.clean(cell, ascii: true) == "evil^[]52;c;SGVsbG8=^?^[[2J?x?")
    }

    @Test func truncateAndPadMeasureColumns() {
        #expect(TerminalText.truncate("Wireless Headphones", to: 8) == "Wireles…")
        #expect(TerminalText.pad("漢字", to: 5) == "漢字 ")
        #expect(TerminalText.width("e\u{301}") == 1)
    }
}

@Suite struct KeymapTests {
    @Test func defaultsFollowTheSpec() {
        let keymap = Keymap()
        #expect(keymap.action(for: .character("j")) == .down)
        #expect(keymap.action(for: .down) == .down)
        #expect(keymap.action(for: .character("a")) == .approve)
        #expect(keymap.action(for: .character("R")) == .rerender)
        #expect(keymap.action(for: .character("q")) == .quit)
        #expect(Action.allCases.allSatisfy { !keymap.keys(for: $0).isEmpty })
    }

    @Test func aFileRebindsAndReportsConflictsWithTheirLine() {
        let (keymap, problems) = Keymap.load("""
            # mine
            approve = A, enter
            reject = A
            nonsense = z
            quit = q, ctrl-q
            """)
        #expect(keymap.action(for: .character("A")) == .approve)
        #expect(keymap.action(for: .enter) == .approve)
        #expect(keymap.action(for: .character("a")) == nil)
        #expect(keymap.action(for: .control("q")) == .quit)
        #expect(problems.map(\.line) == [3, 4])
        #expect(problems[0].description.contains("already bound to approve on line 2"))
    }
}
