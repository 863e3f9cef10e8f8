import Foundation
import Testing
@testable import AutoDirectorCore

/// Images in S3-compatible object storage (`AUTODIRECTOR_ARTIFACTS=s3://…`), against moto's
/// server started by the test process: what one machine stores another reads, a stored image is
/// not sent again, a replaced object is refused, a missing bucket is said so — and no message
/// holds the secret key or the session token.
@Suite(.enabled(if: ThrowawayS3.isAvailable)) struct S3ArtifactsTests {
    private func files(_ project: TestProject, _ configuration: S3Configuration, machine: String) -> ArtifactFiles {
        ArtifactFiles(projectDirectory: project.root.appendingPathComponent(machine), location: .s3(configuration))
    }

    private func expectNoSecret(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains(ThrowawayS3.secret) && !text.contains(ThrowawayS3.token), "\(text)", sourceLocation: sourceLocation)
    }

    @Test func oneMachineStoresAndAnotherReads() async throws {
        let server = try ThrowawayS3.shared()
        let configuration = server.configuration(bucket: try await server.freshBucket(), prefix: "spring/renders")
        let project = try TestProject()
        let image = try PNGCodec.encode(PNGCodec.Image(width: 2, height: 2, rgb: [UInt8](repeating: 200, count: 12)))

        let first = files(project, configuration, machine: "first")
        let stored = try first.store(image, fileExtension: "png")
        #expect(stored.path == "artifacts/\(stored.sha256.prefix(2))/\(stored.sha256).png")
        #expect(first.objects?.requestCount("HEAD") == 1 && first.objects?.requestCount("PUT") == 1)
        // The object is where the layout says, with the image's bytes.
        let key = "spring/renders/\(stored.sha256.prefix(2))/\(stored.sha256).png"
        #expect(try await first.objects?.get(key) == image)
        #expect(!FileManager.default.fileExists(atPath: project.root.appendingPathComponent("first/artifacts").path))

        let second = files(project, configuration, machine: "second")
        #expect(try second.read(stored.path) == image)
        #expect(second.location == "s3://\(configuration.bucket)/spring/renders (endpoint \(server.endpoint), region us-east-1)")
        #expect(second.isShared)

        // Stored again on the second machine: the HEAD finds it, nothing is sent.
        #expect(try second.store(image, fileExtension: "png") == stored)
        #expect(second.objects?.requestCount("HEAD") == 1 && second.objects?.requestCount("PUT") == 0)
        // And again on the first: known, not even a HEAD.
        _ = try first.store(image, fileExtension: "png")
        #expect(first.objects?.requestCount("HEAD") == 1)
    }

    @Test func aReplacedObjectIsRefusedOnReadAndReplacedOnStore() async throws {
        let server = try ThrowawayS3.shared()
        let configuration = server.configuration(bucket: try await server.freshBucket())
        let project = try TestProject()
        let writer = files(project, configuration, machine: "writer")
        let stored = try writer.store([1, 2, 3], fileExtension: "png")

        // Someone puts other bytes under the image's digest key.
        let tampered: [UInt8] = [9, 9, 9, 9]
        let key = String(stored.path.dropFirst("artifacts/".count))
        try await S3ObjectClient(configuration: configuration).put(key, bytes: tampered, sha256: SHA256Hex.digest(tampered), contentType: "image/png")

        let reader = files(project, configuration, machine: "reader")
        let refused = try #require(throws: FileInputError.self) { try reader.read(stored.path) }
        #expect(refused.reason.contains("does not match its SHA-256") && refused.path == "s3://\(configuration.bucket)/\(key)")
        // An export reads without the check and checks the digest itself.
        #expect(try reader.read(stored.path, verify: false) == tampered)

        // A machine storing the image again finds an object of another size and replaces it.
        let repairer = files(project, configuration, machine: "repairer")
        _ = try repairer.store([1, 2, 3], fileExtension: "png")
        #expect(repairer.objects?.requestCount("PUT") == 1)
        #expect(try reader.read(stored.path) == [1, 2, 3])

        let missing = try #require(throws: FileInputError.self) {
            try reader.read("artifacts/ab/" + String(repeating: "ab", count: 32) + ".png")
        }
        #expect(missing.reason.contains("no such object"))
    }

    @Test func aMissingBucketIsSaidClearly() async throws {
        let server = try ThrowawayS3.shared()
        let configuration = server.configuration(bucket: "no-such-bucket-\(UUID().uuidString.lowercased().prefix(8))", prefix: "p")
        let project = try TestProject()
        let files = files(project, configuration, machine: "m")
        let stored = try #require(throws: S3Error.self) { try files.store([4, 5, 6], fileExtension: "png") }
        #expect(stored.code == "NoSuchBucket" && stored.status == 404)
        #expect(stored.description.contains("PUT s3://\(configuration.bucket)/p/") && stored.description.contains(server.endpoint))
        #expect(stored.description.contains("create the bucket"))
        expectNoSecret(stored.description)
        let read = try #require(throws: S3Error.self) { try files.read("artifacts/ab/" + String(repeating: "ab", count: 32) + ".png") }
        #expect(read.code == "NoSuchBucket" && read.description.contains("GET s3://\(configuration.bucket)/p/ab/"))
        expectNoSecret(read.description)
    }

    /// The engine's render workers store through the async path, and a second engine reads,
    /// exports and reports where the images are.
    @Test func anEngineRendersIntoTheBucketAndAnotherExportsFromIt() async throws {
        let server = try ThrowawayS3.shared()
        let configuration = server.configuration(bucket: try await server.freshBucket(), prefix: "shared")
        let project = try TestProject()
        let first = try Engine(
            projectDirectory: project.directory, artifactsLocation: .s3(configuration), mode: .create, clock: { TestProject.fixedDate })
        let batch = try first.ingest(try project.file("p.csv", TestProject.sampleCSV)).batchID
        _ = try first.plan(batchID: batch)
        _ = try first.enqueueRender(batchID: batch)
        _ = try await first.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("artifacts").path))

        let second = try Engine(
            projectDirectory: project.directory, artifactsLocation: .s3(configuration), mode: .existing, clock: { TestProject.fixedDate })
        var images: Set<String> = []
        for id in ["PROD-001", "PROD-002", "PROD-003"] {
            let artifact = try #require(try second.store.artifact(for: try second.version(of: id).hash))
            #expect(SHA256Hex.digest(try second.artifactBytes(artifact)) == artifact.imageSHA256)
            images.insert(artifact.imageSHA256)
        }
        // One PUT per distinct image (identical images are one object).
        #expect(first.artifacts.objects?.requestCount("PUT") == images.count)
        let export = try second.export(batchID: batch, options: ExportOptions(directory: project.root.appendingPathComponent("out")))
        #expect(try BundleVerifier.verify(export.directory).problems.isEmpty)
        #expect(try second.health().artifactsPath.hasPrefix("s3://\(configuration.bucket)/shared (endpoint \(server.endpoint)"))
    }
}

/// Without a server to answer, and without moto at all.
@Suite struct S3UnreachableTests {
    @Test func anUnreachableEndpointIsSaidWithoutSecrets() async throws {
        let configuration = S3Configuration(
            bucket: "images", prefix: "p", endpoint: URL(string: "http://127.0.0.1:1")!,
            credentials: S3Credentials(accessKeyID: "AKIA", secretAccessKey: ThrowawayS3.secret, sessionToken: ThrowawayS3.token))
        let client = S3ObjectClient(configuration: configuration, requestTimeout: .seconds(2), attempts: 3)
        let error = try await #require(throws: S3Error.self) { _ = try await client.head("p/ab/cd.png") }
        #expect(error.description.contains("could not HEAD s3://images/p/ab/cd.png at http://127.0.0.1:1"), "\(error)")
        // Not sent again: the connection pool already kept trying until the deadline, and another
        // attempt would only wait as long again.
        #expect(error.description.contains("tried 1 time"), "\(error)")
        #expect(!error.description.contains(ThrowawayS3.secret) && !error.description.contains(ThrowawayS3.token))
    }
}

@Suite struct S3AvailabilityTests {
    /// The S3 tests never skip silently: CI must have moto, and a developer's run without it
    /// says so in one line.
    @Test func theS3TestsRunWhereCIRuns() {
        guard !ThrowawayS3.isAvailable else { return }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            Issue.record("\(ThrowawayS3.unavailableNote)")
        } else {
            print("note: \(ThrowawayS3.unavailableNote)")
        }
    }
}
