import FakeBriaServer
import Foundation
import Testing
@testable import AutoDirectorCore

/// The `bria` provider against the fake Bria API v2, one fault at a time (SPEC §7).
@Suite struct BriaProviderTests {
    static let token = "test-token-7f3a9c1e5b"
    static let settings = RenderSettings(concurrency: 1, itemTimeout: 5, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0, maxDelay: 0, random: { 0 }))

    /// A planned one-shot project, a fake server and a provider pointed at it.
    struct Setup {
        let project: TestProject
        let engine: Engine
        let batch: String
        let server: FakeBriaServer
        let provider: BriaProvider

        init(rows: String = "PROD-001,Wireless Headphones,electronics,plastic,glossy\n", options: FakeBriaServer.Options = .init()) async throws {
            project = try TestProject()
            engine = try project.engine()
            batch = try engine.ingest(try project.file("p.csv", "sku,product_name,category,material,finish\n" + rows)).batchID
            _ = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
            server = try await FakeBriaServer.start(token: BriaProviderTests.token, options: options)
            provider = BriaProvider(configuration: BriaConfiguration(
                base: server.baseURL, token: try #require(BriaToken(BriaProviderTests.token)), requestsPerMinute: 100_000, pollInterval: 0))
        }

        func render(_ settings: RenderSettings = BriaProviderTests.settings) async throws -> (RenderJob, [JobItem]) {
            let job = try #require(try engine.enqueueRender(batchID: batch))
            _ = try await engine.runPendingJobs(provider: provider, settings: settings)
            return (try engine.job(job), try engine.jobItems(job))
        }

        func close() async {
            await provider.shutdown()
            await server.shutdown()
        }

        /// Every byte the project keeps on disk (database, its WAL, artifacts).
        func projectBytesContain(_ needle: String) throws -> Bool {
            let enumerator = FileManager.default.enumerator(at: project.directory, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard let data = try? Data(contentsOf: url) else { continue }
                if data.range(of: Data(needle.utf8)) != nil { return true }
            }
            return false
        }
    }

    @Test func rendersThroughSubmitPollAndDownloadKeepingTheRequestID() async throws {
        let setup = try await Setup(
            rows: "PROD-001,Wireless Headphones,electronics,plastic,glossy\nPROD-002,Macro Camera Lens,photography,glass,matte\n",
            options: .init(processingTime: .milliseconds(30)))
        let (job, items) = try await setup.render()
        await setup.close()
        #expect(job.state == .done)
        #expect(items.map(\.state) == [.done, .done])
        #expect(items.allSatisfy { $0.requestID?.hasPrefix("req-") == true })
        let counters = setup.server.counters
        #expect(counters.submits == 2)
        #expect(counters.downloads == 2)
        #expect(counters.unauthorized == 0)
        #expect(counters.badRequests == 0)
        #expect(counters.tokenSentToFiles == 0)
        #expect(setup.server.paidSubmits.count == 2 && setup.server.duplicatePaidSubmits == 0)
        let version = try setup.engine.version(of: "PROD-001")
        let artifact = try #require(try setup.engine.artifact(for: version))
        let bytes = try ArtifactFiles(projectDirectory: setup.project.directory).read(artifact.path)
        #expect(SHA256Hex.digest(bytes) == artifact.imageSHA256)
        #expect(try PNGCodec.decode(bytes).width == 16)
        #expect(try !setup.projectBytesContain(Self.token))
    }

    /// Each fault ends in the expected final state; none leaves an item queued or running.
    @Test func invisibleCharactersInACellNeverReachBria() async throws {
        // Bidi override, zero-width space and byte-order mark, each inside the subject.
        let setup = try await Setup(rows: "PROD-001,\u{202E}Wireless\u{200B} Head\u{FEFF}phones,electronics,plastic,glossy\n")
        let (job, _) = try await setup.render()
        await setup.close()
        #expect(job.state == .done)
        let prompts = setup.server.submittedPrompts
        #expect(prompts.count == 1)
        let invisible: [Unicode.Scalar] = ["\u{202E}", "\u{200B}", "\u{FEFF}"]
        for prompt in prompts {
            let text = try #require(JSONParser.parse(prompt).objectValue.map { JSONWriter.compact(.object($0)) })
            #expect(!text.unicodeScalars.contains(where: invisible.contains))
            #expect(text.contains("Wireless Headphones"))
        }
    }

    @Test(arguments: [
        (FakeBriaFault.rateLimited(retryAfter: 0), JobItem.State.done, 2),
        (.rateLimited(retryAfter: nil), .done, 2),
        (.serverError(500), .done, 2),
        (.serverError(502), .done, 2),
        (.serverError(503), .done, 2),
        (.slowSubmit(milliseconds: 150), .done, 1),
        (.moderation, .blocked, 1),
        (.malformedSubmit, .failed, 1),
        (.statusError(code: 500), .done, 2),
        (.statusError(code: 400), .failed, 1),
        (.statusError(code: 422), .blocked, 1),
        (.statusUnknown, .done, 1),
        (.statusServerError(503), .done, 1),
        (.malformedStatus, .done, 1),
        (.expiredImage, .done, 1),
        (.truncatedImage, .done, 1),
    ])
    func faultEndsInAFinalState(fault: FakeBriaFault, expected: JobItem.State, submits: Int) async throws {
        let setup = try await Setup()
        setup.server.inject([fault])
        let (job, items) = try await setup.render()
        await setup.close()
        let item = try #require(items.first)
        #expect(item.state == expected, "\(fault): \(item.error ?? "no error")")
        #expect(job.state != .queued && job.state != .running)
        #expect(items.allSatisfy { $0.state.isFinal })
        #expect(setup.server.counters.submits == submits, "\(fault)")
        if expected != .done {
            let error = try #require(item.error)
            #expect(!error.isEmpty)
            #expect(!error.contains(Self.token))
        }
        #expect(try !setup.projectBytesContain(Self.token))
    }

    @Test func aSubmitWithoutAnAnswerIsNeverSentAgainAutomatically() async throws {
        let setup = try await Setup()
        // The answer comes long after the item's 0.3 s: under a loaded test run a 3 s answer once
        // arrived before the timeout fired.
        setup.server.inject([.slowSubmit(milliseconds: 10000)])
        let short = RenderSettings(concurrency: 1, itemTimeout: 0.3, retry: RetryPolicy(maxAttempts: 4, baseDelay: 0, maxDelay: 0, random: { 0 }))
        let (_, items) = try await setup.render(short)
        #expect(items.first?.state == .failed)
        #expect(items.first?.error?.contains("not sent again automatically") == true)
        #expect(setup.server.counters.submits == 1)
        #expect(setup.server.duplicatePaidSubmits == 0)

        // An explicit retry submits it again: the provider counts it paid twice.
        let retried = try setup.engine.retryJob(items[0].jobID)
        #expect(retried == 1)
        _ = try await setup.engine.runPendingJobs(provider: setup.provider, settings: short)
        await setup.close()
        #expect(try setup.engine.jobItems(items[0].jobID).first?.state == .done)
        #expect(setup.server.counters.submits == 2)
        #expect(setup.server.duplicatePaidSubmits == 1 && setup.server.paidSubmits.values.sorted() == [2])
    }

    @Test func persistentServerErrorsAreRetriedABoundedNumberOfTimes() async throws {
        let setup = try await Setup()
        setup.server.inject(Array(repeating: .serverError(503), count: 10))
        let (job, items) = try await setup.render()
        await setup.close()
        #expect(items.first?.state == .failed)
        #expect(items.first?.attempts == 3)
        #expect(items.first?.error?.contains("gave up after 3 attempts") == true)
        #expect(job.retries == 2)
        #expect(setup.server.counters.submits == 3)
    }

    @Test func aWrongTokenFailsAtOnceWithoutShowingTheToken() async throws {
        let setup = try await Setup()
        let wrong = BriaProvider(configuration: BriaConfiguration(
            base: setup.server.baseURL, token: try #require(BriaToken("wrong-secret-value")), requestsPerMinute: 100_000, pollInterval: 0))
        let job = try #require(try setup.engine.enqueueRender(batchID: setup.batch))
        _ = try await setup.engine.runPendingJobs(provider: wrong, settings: Self.settings)
        await wrong.shutdown()
        await setup.close()
        let item = try #require(try setup.engine.jobItems(job).first)
        #expect(item.state == .failed)
        #expect(item.attempts == 1)
        #expect(item.error?.contains("401") == true)
        #expect(item.error?.contains("wrong-secret-value") == false)
    }

    /// After a crash the stored state decides: a known request id is polled, not submitted;
    /// a submit that left without an answer is not repeated.
    @Test func storedSubmissionStatesAreResumedNotResubmitted() async throws {
        let setup = try await Setup(rows: "PROD-001,Wireless Headphones,electronics,plastic,glossy\nPROD-002,Macro Camera Lens,photography,glass,matte\n")
        let job = try #require(try setup.engine.enqueueRender(batchID: setup.batch))
        let items = try setup.engine.jobItems(job)
        // PROD-001 was accepted as a request the server knows; PROD-002's submit left unanswered.
        let accepted = SubmissionJournal()
        var request = try #require(try setup.engine.store.renderRequests(jobID: job).first)
        request.journal = accepted
        _ = try await setup.provider.render(request)
        guard case .accepted(let requestID) = accepted.current else { Issue.record("no request id"); return }
        try setup.engine.store.recordSubmissions([
            (job, [VersionKey(shotID: items[0].shotID, version: items[0].version)], .accepted(requestID: requestID)),
            (job, [VersionKey(shotID: items[1].shotID, version: items[1].version)], .sending),
        ], at: TestProject.fixedDate)

        _ = try await setup.engine.runPendingJobs(provider: setup.provider, settings: Self.settings)
        await setup.close()
        let after = try setup.engine.jobItems(job)
        #expect(after[0].state == .done)
        #expect(after[0].requestID == requestID)
        #expect(after[1].state == .failed)
        #expect(setup.server.counters.submits == 1)
    }

    @Test func tokenHasNoPrintableForm() throws {
        let token = try #require(BriaToken("  s3cret-token\n"))
        #expect("\(token)" == "<redacted>")
        #expect(String(reflecting: token) == "<redacted>")
        #expect(token.redact("echo s3cret-token back") == "echo <redacted> back")
        #expect(BriaToken("") == nil)
        #expect(BriaToken("a\u{1B}b") == nil)
    }

    @Test func configurationComesFromTheEnvironment() throws {
        #expect(throws: BriaConfiguration.Problem.self) { try BriaConfiguration.fromEnvironment([:]) }
        let alias = try BriaConfiguration.fromEnvironment(["FIBO_API_KEY": "k", "FIBO_API_BASE": "http://127.0.0.1:9/v2/", "FIBO_RATE_LIMIT_RPM": "1000"])
        #expect(alias.base == "http://127.0.0.1:9/v2")
        #expect(alias.requestsPerMinute == 1000)
        #expect(throws: BriaConfiguration.Problem.self) { try BriaConfiguration.fromEnvironment(["BRIA_API_TOKEN": "k", "FIBO_API_BASE": "ftp://x"]) }
        do {
            _ = try BriaConfiguration.fromEnvironment(["BRIA_API_TOKEN": "k", "FIBO_RATE_LIMIT_RPM": "fast"])
            Issue.record("accepted a bad rate")
        } catch {
            #expect("\(error)".contains("FIBO_RATE_LIMIT_RPM"))
        }
    }

    @Test func requestIDsThatCouldLeaveThePathAreRefused() {
        #expect(BriaProvider.isValidRequestID("9d4a-b_c.1"))
        #expect(!BriaProvider.isValidRequestID("../../x"))
        #expect(!BriaProvider.isValidRequestID("a/b"))
        #expect(!BriaProvider.isValidRequestID("a?b"))
        #expect(!BriaProvider.isValidRequestID(""))
    }
}

@Suite struct PacingTests {
    @Test func tokenBucketSpacesRequestsAfterItsBurst() {
        var bucket = TokenBucket(perMinute: 60, burst: 3)
        #expect([0.0, 0, 0].map { bucket.reserve(at: $0) } == [0, 0, 0])
        #expect(bucket.reserve(at: 0) == 1)
        #expect(bucket.reserve(at: 0) == 2)
        // After a quiet spell the burst is available again.
        #expect(bucket.reserve(at: 100) == 0)
        #expect(TokenBucket(perMinute: 120).burst == 2)
        var slow = TokenBucket(perMinute: 10)
        #expect(slow.burst == 1)
        #expect(slow.reserve(at: 5) == 0)
        #expect(slow.reserve(at: 5) == 6)
    }

    @Test func aspectRatioIsTheNearestSupported() {
        #expect(AspectRatio.nearest(width: 1024, height: 1024) == "1:1")
        #expect(AspectRatio.nearest(width: 1344, height: 768) == "16:9")
        #expect(AspectRatio.nearest(width: 832, height: 1248) == "2:3")
        #expect(AspectRatio.nearest(width: 1280, height: 800) == "3:2", "16:10 is not native: its nearest native ratio")
        #expect(AspectRatio.of(width: 1216, height: 832)?.name == "3:2", "FIBO's own sizes round to multiples of 64")
        #expect(AspectRatio.of(width: 1280, height: 800) == nil)
        #expect(AspectRatio.nearest(width: 0, height: 10) == "1:1")
    }

    @Test func retryAfterIsReadAsSeconds() {
        #expect(BriaProvider.retryAfter("3") == 3)
        #expect(BriaProvider.retryAfter(" 0 ") == 0)
        #expect(BriaProvider.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(BriaProvider.retryAfter("-1") == nil)
    }
}
