import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// Image files in a directory every machine mounts (`AUTODIRECTOR_ARTIFACTS`, SPEC §16): what one
/// machine renders, another reads and exports; a damaged file is reported, never shown.
@Suite struct SharedArtifactsTests {
    private func engine(_ project: TestProject, directory: URL, shared: URL) throws -> Engine {
        try Engine(
            projectDirectory: directory, database: project.database, artifactsLocation: .directory(shared), mode: .create,
            clock: { TestProject.fixedDate })
    }

    @Test(arguments: StoreKind.all) func oneMachineRendersAndAnotherReadsAndExports(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let shared = project.root.appendingPathComponent("shared-images")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        let first = try engine(project, directory: project.directory, shared: shared)
        let batch = try first.ingest(try project.file("p.csv", TestProject.sampleCSV)).batchID
        _ = try first.plan(batchID: batch)
        _ = try first.enqueueRender(batchID: batch)
        _ = try await first.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("artifacts").path))

        // Another machine of a shared project (the same directory again on SQLite).
        let otherDirectory = kind == .postgres ? project.root.appendingPathComponent("second-machine") : project.directory
        let second = try engine(project, directory: otherDirectory, shared: shared)
        for id in ["PROD-001", "PROD-002", "PROD-003"] {
            let artifact = try #require(try second.store.artifact(for: try second.version(of: id).hash))
            let bytes = try second.artifactBytes(artifact)
            #expect(SHA256Hex.digest(bytes) == artifact.imageSHA256)
            let file = shared.appendingPathComponent(String(artifact.path.dropFirst("artifacts/".count)))
            #expect(FileManager.default.contents(atPath: file.path) == Data(bytes))
        }
        let export = try second.export(batchID: batch, options: ExportOptions(directory: project.root.appendingPathComponent("out")))
        #expect(try BundleVerifier.verify(export.directory).problems.isEmpty)
        #expect(try second.health().artifactsPath == shared.path)
    }

    @Test func aDamagedImageIsReportedNotShown() async throws {
        let project = try TestProject()
        let shared = project.root.appendingPathComponent("shared-images")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        let engine = try engine(project, directory: project.directory, shared: shared)
        let stored = try engine.artifacts.store([1, 2, 3], fileExtension: "png")
        #expect(try engine.artifactBytes(path: stored.path) == [1, 2, 3])
        let file = shared.appendingPathComponent(String(stored.path.dropFirst("artifacts/".count)))
        try Data([9, 9, 9]).write(to: file)
        let damaged = try #require(throws: FileInputError.self) { try engine.artifactBytes(path: stored.path) }
        #expect(damaged.reason.contains("does not match its SHA-256"))
        // A link planted for a digest's directory leads nowhere outside the shared directory.
        let outside = project.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: shared.appendingPathComponent("ab"), withDestinationURL: outside)
        #expect(throws: ArtifactError.self) { try engine.artifacts.read("artifacts/ab/" + String(repeating: "ab", count: 32) + ".png") }
    }

    @Test func theDirectoryIsChosenByFlagOrEnvironmentAndMustExist() throws {
        let project = try TestProject()
        #expect(try ArtifactsDirectory.chosen(flag: nil, environment: [:]) == nil)
        let chosen = try ArtifactsDirectory.chosen(flag: nil, environment: ["AUTODIRECTOR_ARTIFACTS": "."], workingDirectory: project.root)
        guard case .directory(let url) = chosen else {
            Issue.record("not a directory: \(String(describing: chosen))")
            return
        }
        #expect(url.path == project.root.standardizedFileURL.path)
        let missing = try #require(throws: ArtifactError.self) {
            try ArtifactsDirectory.chosen(flag: "/nonexistent/images", environment: [:])
        }
        #expect(missing.description.contains("--artifacts") && missing.description.contains("not a directory"))
        let other = try #require(throws: ArtifactError.self) {
            try ArtifactsDirectory.chosen(flag: nil, environment: ["AUTODIRECTOR_ARTIFACTS": "gs://bucket/prefix"])
        }
        #expect(other.description.contains("AUTODIRECTOR_ARTIFACTS") && other.description.contains("\"gs\"") && other.description.contains("s3://"))
        let empty = try #require(throws: ArtifactError.self) { try ArtifactsDirectory.chosen(flag: "", environment: [:]) }
        #expect(empty.description.contains("--artifacts is empty"))
    }

    /// The reviewer's case: a link planted for a digest's directory says which directory it
    /// leads out of — the shared image directory, not the project directory.
    @Test func aLinkOutOfTheSharedDirectoryIsNamedSo() throws {
        let project = try TestProject()
        let shared = project.root.appendingPathComponent("shared-images")
        let outside = project.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: shared.appendingPathComponent("cd"), withDestinationURL: outside)
        let files = ArtifactFiles(projectDirectory: project.directory, sharedDirectory: shared)
        let error = try #require(throws: ArtifactError.self) { try files.read("artifacts/cd/" + String(repeating: "cd", count: 32) + ".png") }
        #expect(error.message.contains("outside the shared image directory") && error.message.contains("SHARED/cd"))
        #expect(!error.message.contains("project directory"))
    }

    /// New `XX/` (and `artifacts/`) directories are made durable in their parents too: the image
    /// is there, and the layout is the one every machine reads.
    @Test func theFirstImageCreatesItsDirectories() throws {
        let project = try TestProject()
        let files = ArtifactFiles(projectDirectory: project.directory)
        let stored = try files.store([7, 7, 7], fileExtension: "png")
        #expect(FileManager.default.contents(atPath: project.directory.appendingPathComponent(stored.path).path) == Data([7, 7, 7]))
        #expect(try files.read(stored.path) == [7, 7, 7])
    }
}
