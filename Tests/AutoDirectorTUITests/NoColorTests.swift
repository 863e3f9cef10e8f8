import Testing
@testable import AutoDirectorTUI

/// One rule for NO_COLOR (no-color.org): present and not empty, whatever the value.
@Suite struct NoColorTests {
    @Test func presentAndNotEmptyWhateverItsValue() {
        #expect(NoColor.requested(by: ["NO_COLOR": "1"]))
        #expect(NoColor.requested(by: ["NO_COLOR": "0"]))
        #expect(!NoColor.requested(by: ["NO_COLOR": ""]), "an empty NO_COLOR does not count")
        #expect(!NoColor.requested(by: [:]))
    }

    @Test func anEmptyNoColorLeavesTheImageModesTheirColours() {
        let answers: TerminalAnswers? = nil
        let empty = TerminalCapabilities.decide(
            environment: ["TERM": "xterm-256color", "NO_COLOR": ""], answers: answers, tmuxPassthrough: nil, utf8: true, terminfoColors: 256)
        #expect(empty.colors != .none)
        let set = TerminalCapabilities.decide(
            environment: ["TERM": "xterm-256color", "NO_COLOR": "yes"], answers: answers, tmuxPassthrough: nil, utf8: true, terminfoColors: 256)
        #expect(set.colors == .none)
    }
}
