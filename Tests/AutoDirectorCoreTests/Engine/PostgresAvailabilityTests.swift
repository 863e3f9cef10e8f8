import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct PostgresAvailabilityTests {
    /// The shared-project tests never skip silently: CI must have PostgreSQL, and a developer's
    /// run without it says so in one line.
    @Test func theSharedProjectTestsRunWhereCIRuns() {
        guard !ThrowawayPostgres.isAvailable else { return }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("\(ThrowawayPostgres.unavailableNote)")
        } else {
            print("note: \(ThrowawayPostgres.unavailableNote)")
        }
    }

    @Test func theThrowawayServerStartsAndAcceptsItsPassword() throws {
        guard ThrowawayPostgres.isAvailable else { return }
        let url = try ThrowawayPostgres.freshDatabase()
        let engine = try Engine(
            projectDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("adtest-\(UUID().uuidString)"),
            database: url, mode: .create)
        #expect(try engine.health().status == "ok")
        #expect(!(try engine.health().storePath.contains(url.password ?? "-")))
    }
}
