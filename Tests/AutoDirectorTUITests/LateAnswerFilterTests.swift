import Testing
@testable import AutoDirectorTUI

@Suite struct LateAnswerFilterTests {
    static let start = ContinuousClock.now

    /// The keys curses hands over for `text`: ESC as Escape, every other character as itself.
    static func keys(_ text: String) -> [Key] {
        text.map { $0 == "\u{1B}" ? .escape : .character($0) }
    }

    /// Feeds `text` as one burst at `at`, then one timeout well after, returning what came out.
    static func filtered(_ text: String, at offset: Duration = .milliseconds(300)) -> [Key] {
        var filter = LateAnswerFilter(startedAt: start)
        var out: [Key] = []
        for key in keys(text) { out += filter.keys(after: key, at: start + offset) }
        out += filter.keys(after: nil, at: start + offset + .seconds(1))
        return out
    }

    @Test func theProbesAnswersArrivingLateAreDropped() {
        #expect(Self.filtered("\u{1B}[?62;4c").isEmpty, "device attributes")
        #expect(Self.filtered("\u{1B}[6;32;16t").isEmpty, "cell size")
        #expect(Self.filtered("\u{1B}P>|tmux 3.3a\u{1B}\\").isEmpty, "XTVERSION")
        #expect(Self.filtered("\u{1B}_Gi=31;OK\u{1B}\\").isEmpty, "kitty graphics")
        // All four in one burst, as a slow link delivers them, with a key typed after.
        #expect(Self.filtered("\u{1B}_Gi=31;OK\u{1B}\\\u{1B}P>|kitty\u{1B}\\\u{1B}[6;20;10t\u{1B}[?62;c" + "j") == [.character("j")])
    }

    /// Issue 19 (4): an editor's cursor position query answered after the editor ended reached
    /// the keymap as Escape … `R` (a re-render).
    @Test func aLateCursorPositionAnswerIsDropped() {
        #expect(Self.filtered("\u{1B}[12;1R").isEmpty)
        #expect(Self.filtered("\u{1B}[48;160R" + "j") == [.character("j")])
        // Not a position: one number, or three, is handed on.
        #expect(Self.filtered("\u{1B}[2R") == Self.keys("\u{1B}[2R"))
        #expect(Self.filtered("\u{1B}[1;2;3R") == Self.keys("\u{1B}[1;2;3R"))
    }

    @Test func keysThatAreNotAnswersAreHandedOnUnchanged() {
        #expect(Self.filtered("jk?") == Self.keys("jk?"))
        // Escape then a letter (closing an overlay, then a command) is not an answer.
        #expect(Self.filtered("\u{1B}a") == [.escape, .character("a")])
        // A sequence that stops matching is handed on whole.
        #expect(Self.filtered("\u{1B}[1x") == Self.keys("\u{1B}[1x"))
        #expect(Self.filtered("\u{1B}\u{1B}[?1;2c") == [.escape])
        // Only the answers' exact shapes: `ESC [ c` (no `?`), `ESC [ 1 t`, Escape then the
        // Prompt tab's `P`, Alt-_ are keys.
        #expect(Self.filtered("\u{1B}[c") == Self.keys("\u{1B}[c"))
        #expect(Self.filtered("\u{1B}[1t") == Self.keys("\u{1B}[1t"))
        #expect(Self.filtered("\u{1B}Pj") == Self.keys("\u{1B}Pj"))
        #expect(Self.filtered("\u{1B}_x") == Self.keys("\u{1B}_x"))
    }

    @Test func whatTakesLongerThanABurstWasTyped() {
        var filter = LateAnswerFilter(startedAt: Self.start, escapeWait: .milliseconds(100))
        let at = Self.start + .seconds(1)
        #expect(filter.keys(after: .escape, at: at).isEmpty)
        #expect(filter.keys(after: .character("["), at: at + .milliseconds(20)).isEmpty)
        // A key typed a moment later, no timeout between: what was held goes first, in order.
        #expect(filter.keys(after: .character("?"), at: at + .milliseconds(150)) == Self.keys("\u{1B}[?"))
    }

    @Test func aResizeInsideAPossibleAnswerIsNotLost() {
        var filter = LateAnswerFilter(startedAt: Self.start)
        let at = Self.start + .seconds(1)
        var out: [Key] = []
        for key in Self.keys("\u{1B}_G") + [.resize] + Self.keys("i\u{1B}\\") { out += filter.keys(after: key, at: at) }
        #expect(out == Self.keys("\u{1B}_G") + [.resize] + Self.keys("i\u{1B}\\"))
    }

    @Test func aLongRunShapedLikeAnAnswerIsHandedOnPastTheLimit() {
        let text = "\u{1B}P>" + String(repeating: "x", count: LateAnswerFilter.holdLimit + 10)
        #expect(Self.filtered(text) == Self.keys(text))
    }

    @Test func anEscapeAloneIsHandedOnOnceNothingFollows() {
        var filter = LateAnswerFilter(startedAt: Self.start, escapeWait: .milliseconds(100))
        let at = Self.start + .seconds(1)
        #expect(filter.keys(after: .escape, at: at).isEmpty)
        #expect(filter.keys(after: nil, at: at + .milliseconds(50)).isEmpty, "an answer may still follow")
        #expect(filter.keys(after: nil, at: at + .milliseconds(100)) == [.escape])
        #expect(filter.keys(after: nil, at: at + .milliseconds(200)).isEmpty)
    }

    @Test func afterTheWindowNothingIsHeldBack() {
        var filter = LateAnswerFilter(startedAt: Self.start, window: .seconds(10))
        let late = Self.start + .seconds(11)
        #expect(filter.keys(after: .escape, at: late) == [.escape])
        #expect(Self.keys("[?62;4c").flatMap { filter.keys(after: $0, at: late) } == Self.keys("[?62;4c"))
    }
}
