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
