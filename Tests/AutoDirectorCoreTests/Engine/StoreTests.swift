import Foundation
import Testing
@testable import AutoDirectorCore

@Suite struct StoreTests {
    /// Two engines on one project stand for two processes (each has its own connection pool):
    /// concurrent patches must all land with distinct version numbers and no "database is locked".
    @Test func twoWritersOnOneProjectLoseNothing() async throws {
        let project = try TestProject()
        let (first, _) = try project.plannedSample()
        let second = try project.engine(mode: .existing)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, engine) in [first, second].enumerated() {
                group.addTask {
                    for step in 0..<10 {
                        let fov = 100 + index * 20 + step
                        _ = try engine.rerender("PROD-003", patches: [.assignments([try DottedAssignment(parsing: "camera.fov=\(fov)")])])
                    }
                }
            }
            try await group.waitForAll()
        }
        let versions = try first.versions(of: "PROD-003")
        #expect(versions.map(\.number) == Array(1...21))
        #expect(Set(versions.map(\.hash)).count == 21)
        for (parent, child) in zip(versions, versions.dropFirst()) { #expect(child.parentHash == parent.hash) }
        #expect(try first.store.integrityCheck() == "ok")
    }

    @Test func healthReportsCountsAndSchema() throws {
        let project = try TestProject()
        let (engine, _) = try project.plannedSample()
        let health = try engine.health()
        #expect(health.status == "ok")
        #expect(health.schemaVersion == "v3-images")
        #expect(health.counts.shots == 3 && health.counts.versions == 3 && health.counts.batches == 1)
    }

    @Test func aMissingProjectIsAClearError() throws {
        let project = try TestProject()
        #expect(throws: StoreError.noProject(project.directory.path)) { try project.engine(mode: .existing) }
    }
}
