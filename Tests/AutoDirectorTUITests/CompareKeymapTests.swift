import Testing
@testable import AutoDirectorTUI

/// The compare view's keys go through the `Keymap`, in a context of their own.
@Suite struct CompareKeymapTests {
    @Test func theDefaultsAreTheKeysTheViewAlwaysHad() {
        let keymap = Keymap()
        #expect(keymap.compareAction(for: .character("[")) == .compareOlder)
        #expect(keymap.compareAction(for: .character("]")) == .compareNewer)
        #expect(keymap.compareAction(for: .character("f")) == .compareFlip)
        #expect(keymap.compareAction(for: .character("D")) == .compareDifference)
        #expect(keymap.keys(for: CompareAction.compareBack) == [.character("C"), .escape, .character("q")])
        #expect(keymap.action(for: .character("q")) == .quit, "q still quits the table")
    }

    @Test func keysConfRebindsThemAndAKeyMayMeanOneThingPerContext() {
        let (keymap, problems) = Keymap.load("quit = q\ncompareFlip = x\ncompareBack = esc, q\n")
        #expect(problems.isEmpty, "q in two contexts is no conflict: \(problems)")
        #expect(keymap.compareAction(for: .character("x")) == .compareFlip)
        #expect(keymap.compareAction(for: .character("f")) == nil, "the file's keys replace the defaults")
        #expect(keymap.compareAction(for: .character("C")) == nil)
        #expect(keymap.action(for: .character("q")) == .quit)
        let (_, conflict) = Keymap.load("compareFlip = f\ncompareDifference = f\n")
        #expect(conflict == [Keymap.Problem(line: 2, message: "f is already bound to compareFlip on line 1")])
        let (_, unknown) = Keymap.load("compareZoom = z\n")
        #expect(unknown.count == 1 && unknown[0].line == 1)
    }

    @Test func theViewActsOnTheReboundKeys() {
        var state = CompareTests.opened()
        state.keymap = Keymap.load("compareFlip = x\nhelp = f1\n").0
        _ = Update.update(&state, .key(.character("x")))
        #expect(state.compare?.flipped == true)
        _ = Update.update(&state, .key(.character("f")))
        #expect(state.compare?.flipped == true && state.message?.hasPrefix("Compare:") == true, "f is no longer bound here")
        _ = Update.update(&state, .key(.character("?")))
        #expect(!state.showHelp, "? is no longer help's")
        _ = Update.update(&state, .key(.function(1)))
        #expect(state.showHelp && state.compare != nil, "help's keys open it over the compare view")
    }
}

/// The status bar's hints and the compare view's title name the keys of the keymap in use.
@Suite struct KeyHintsTests {
    @Test func theDefaultsReadAsTheyAlwaysDid() {
        var state = CompareTests.opened()
        #expect(KeyHints.line(state) == " [ ] other version  f flip  D differences  Esc back to the table  ? help")
        #expect(KeyHints.compareTitle(state.keymap) == "[ ] version · f flip · D differences · Esc back")
        state.compare = nil
        state.focus = .table
        #expect(KeyHints.line(state) == " j/k move  a approve  r reject  p patch  C compare  / filter  ? help  q quit")
        state.focus = .detail
        #expect(KeyHints.line(state) == " j/k scroll  i J v o d x P tabs  e edit  y copy hash  Tab back  ? help  q quit")
    }

    @Test func aReboundKeyIsTheOneShownAndAnUnboundActionIsNotOffered() {
        var state = CompareTests.opened()
        state.keymap = Keymap.load("compareFlip = x\ncompareBack = q\nhelp = f1\napprove = A, r\n").0
        #expect(KeyHints.line(state) == " [ ] other version  x flip  D differences  q back to the table  f1 help")
        #expect(KeyHints.compareTitle(state.keymap) == "[ ] version · x flip · D differences · q back")
        state.compare = nil
        state.focus = .table
        #expect(KeyHints.line(state).hasPrefix(" j/k move  A approve  p patch"), "r went to approve: reject has no key left")
    }

    @Test func compareDoesNotOfferAHelpKeyItHasTakenAndSaysItsOwnKeysOtherwise() {
        var state = CompareTests.opened()
        state.keymap = Keymap.load("compareFlip = ?\n").0
        #expect(KeyHints.line(state) == " [ ] other version  ? flip  D differences  Esc back to the table")
        _ = Update.compareKey(.character("z"), &state)
        #expect(state.message == "Compare: [ ] version · ? flip · D differences · Esc back.")
    }
}
