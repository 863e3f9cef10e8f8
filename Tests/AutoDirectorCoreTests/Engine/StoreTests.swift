import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

@Suite struct StoreTests {
    /// Two engines on one project stand for two processes or machines (each has its own connections):
    /// concurrent patches must all land with distinct version numbers and no "database is locked".
    @Test(arguments: StoreKind.all) func twoWritersOnOneProjectLoseNothing(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (first, _) = try project.plannedSample()
        let second = try first.secondMachine(of: project)
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

    @Test(arguments: StoreKind.all) func healthReportsCountsAndSchema(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let (engine, _) = try project.plannedSample()
        let health = try engine.health()
        #expect(health.status == "ok")
        #expect(health.schemaVersion == (kind == .sqlite ? "v9-render-ledger" : "pg10-render-ledger"))
        #expect(health.counts.shots == 3 && health.counts.versions == 3 && health.counts.batches == 1)
    }

    @Test(arguments: StoreKind.all) func aMissingProjectIsAClearError(_ kind: StoreKind) throws {
        let project = try TestProject(kind)
        let location = project.database?.description ?? project.directory.path
        #expect(throws: StoreError.noProject(location)) { try project.engine(mode: .existing) }
    }
}
