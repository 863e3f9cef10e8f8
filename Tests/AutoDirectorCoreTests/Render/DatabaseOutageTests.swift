import Testing
@testable import AutoDirectorCore

/// A worker waits through a database outage and fails on anything else (SPEC §16).
@Suite struct DatabaseOutageTests {
    @Test func onlyAnUnreachableDatabaseIsAnOutage() {
        let unreachable = StoreError.unreachable("postgres://u:***@db/p", "the connection was refused")
        #expect(DatabaseOutage.behind(unreachable) == unreachable)
        #expect(DatabaseOutage.behind(StoreError.database("a constraint")) == nil)
        #expect(DatabaseOutage.behind(CancellationError()) == nil)
        // The loop stopped for another reason while its commit met the outage, or the reverse.
        #expect(DatabaseOutage.behind(StoppedWithCommitFailure(error: CancellationError(), commitFailure: unreachable)) == unreachable)
        #expect(DatabaseOutage.behind(StoppedWithCommitFailure(error: unreachable, commitFailure: StoreError.database("x"))) == unreachable)
        #expect(DatabaseOutage.behind(StoppedWithCommitFailure(error: StoreError.database("x"), commitFailure: CancellationError())) == nil)
    }

    @Test func theWaitsDoubleUpToThirtySecondsAndStartAgain() {
        var backoff = OutageBackoff()
        #expect((0..<7).map { _ in backoff.next() } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        backoff.reset()
        #expect(backoff.next() == .seconds(1))
    }
}
