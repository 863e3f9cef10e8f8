import Testing
@testable import AutoDirectorCore

/// How a job ends is the engine's rule; both stores only report the job's state and its
/// unsuccessful items (the render tests close jobs through them on both).
@Suite struct JobClosingTests {
    @Test func aCancelledJobStaysCancelledAndAnyUnsuccessfulItemFailsIt() {
        #expect(JobClosing(current: .cancelled, unsuccessfulItems: 0).finalState == .cancelled)
        #expect(JobClosing(current: .cancelled, unsuccessfulItems: 3).finalState == .cancelled)
        #expect(JobClosing(current: .running, unsuccessfulItems: 1).finalState == .failed)
        #expect(JobClosing(current: .running, unsuccessfulItems: 0).finalState == .done)
        #expect(JobClosing.unsuccessful == [.failed, .blocked, .cancelled])
    }
}

/// What an undo does to each version of the action it undoes is the engine's rule too.
@Suite struct UndoPolicyTests {
    private let target = ReviewTarget(shotID: "s", version: 1)

    @Test func restoresTheStatusTheActionReplacedUnlessTheVersionWasReviewedSince() {
        func state(_ status: ReviewStatus, _ stages: [String] = []) -> StatusAndStages { StatusAndStages(status: status, stages: stages) }
        let untouched = UndoCandidate(target: target, actionID: 7, setByAction: state(.approved), previous: state(.pending), current: state(.approved))
        #expect(UndoPolicy.verdict(on: untouched) == .restore(state(.pending), note: "undo of review action 7"))
        let reviewedSince = UndoCandidate(target: target, actionID: 7, setByAction: state(.approved), previous: state(.pending), current: state(.rejected))
        #expect(UndoPolicy.verdict(on: reviewedSince) == .leave)
        // A stage's approval is undone only while no other stage has approved since.
        let stageSince = UndoCandidate(
            target: target, actionID: 8, setByAction: state(.pending, ["art"]), previous: state(.pending), current: state(.approved, ["art", "brand"]))
        #expect(UndoPolicy.verdict(on: stageSince) == .leave)
    }
}
