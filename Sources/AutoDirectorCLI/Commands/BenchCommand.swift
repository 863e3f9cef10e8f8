import ArgumentParser
import AutoDirectorBench
import AutoDirectorCore
import AutoDirectorTUI
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks; each prints one JSON object with rows, seconds and per_second.",
        subcommands: [
            BenchPlanCommand.self, BenchRenderCommand.self, BenchTUICommand.self, BenchExportCommand.self, BenchGraphicsCommand.self,
            BenchServeCommand.self, BenchSharedCommand.self, BenchClusterCommand.self, BenchMigrateCommand.self, BenchReviewCommand.self,
        ])
}

struct BenchPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Ingest and plan a generated N-row CSV in a temporary project, durably, and time each stage.")

    @Option(name: .long, help: "Number of CSV rows.")
    var rows: Int = 100_000

    @Option(name: .long, help: "Preset applied when planning.")
    var preset: String = "brand_neutral_cool"

    /// `--database URL`: plan into this EMPTY PostgreSQL database instead of a SQLite file (the
    /// flag only, never $AUTODIRECTOR_DATABASE_URL, which names a real project). The option is
    /// the root command's too, so it is read through the same group.
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if rows < 1 || rows > 10_000_000 { throw ValidationError("--rows must be between 1 and 10000000.") }
    }

    func run() throws {
        let result = try PlanBenchmark.run(rows: rows, preset: preset, database: try project.database.map(DatabaseURL.init))
        var stages = JSONObject()
        for stage in result.stages { stages[stage.name] = .number(rounded(stage.seconds)) }
        Print.console.out(JSONWriter.compact([
            "bench": "plan", "rows": .number(Double(result.rows)), "seconds": .number(rounded(result.seconds)),
            "per_second": .number(result.perSecond.rounded()), "shots_created": .number(Double(result.created)),
            "stages": .object(stages),
        ]))
    }

    private func rounded(_ seconds: Double) -> Double { (seconds * 10_000).rounded() / 10_000 }
}

struct BenchRenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a generated N-row batch in a temporary project (one job, cache cold) and time the job.",
        discussion: "With --provider bria the renders go to a fake Bria API v2 started in this process on 127.0.0.1.")

    @Option(name: .long, help: "Number of shots.")
    var rows: Int = 100_000

    @Option(name: .long, help: "Render provider: mock, or bria against the in-process fake server.")
    var provider: ProviderName = .mock

    @Option(name: .long, help: "Renders in flight at once.")
    var concurrency: Int = 8

    @Option(name: .customLong("latency-ms"), help: "Latency of each render in milliseconds (bria: the fake server's submit answer; mock: simulated).")
    var latencyMS: Int = 0

    @Option(name: .long, help: "bria: requests per minute per endpoint allowed by the token bucket.")
    var rpm: Double = 1_000_000

    func validate() throws {
        if rows < 1 || rows > 10_000_000 { throw ValidationError("--rows must be between 1 and 10000000.") }
        if concurrency < 1 || concurrency > 1024 { throw ValidationError("--concurrency must be between 1 and 1024.") }
        if latencyMS < 0 || latencyMS > 600_000 { throw ValidationError("--latency-ms must be between 0 and 600000.") }
        if !(rpm >= 1 && rpm <= 10_000_000) { throw ValidationError("--rpm must be between 1 and 10000000.") }
    }

    func run() async throws {
        let settings = RenderSettings(concurrency: concurrency)
        var bria: BenchBria?
        let renderer: any RenderProvider
        if provider == .bria {
            let fake = try await BenchBria.start(
                latency: .milliseconds(latencyMS), requestsPerMinute: rpm, pollInterval: 2, connectionsPerHost: max(8, concurrency))
            bria = fake
            renderer = fake.provider
        } else {
            renderer = MockProvider(latency: .milliseconds(latencyMS))
        }
        let result: RenderBenchmark.Result
        do {
            result = try await RenderBenchmark.run(rows: rows, provider: renderer, settings: settings)
        } catch {
            await renderer.shutdown()
            await bria?.stopServer()
            throw error
        }
        await renderer.shutdown()
        await bria?.stopServer()
        let progress = result.progress
        var output: JSONObject = [
            "bench": "render", "provider": .string(provider.rawValue), "rows": .number(Double(result.rows)),
            "seconds": .number((result.seconds * 10_000).rounded() / 10_000), "per_second": .number(result.perSecond.rounded()),
            "concurrency": .number(Double(concurrency)), "latency_ms": .number(Double(latencyMS)), "rendered": .number(Double(progress?.done ?? 0)),
            "cache_hits": .number(Double(progress?.cached ?? 0)), "failed": .number(Double(progress?.failed ?? 0)),
            "provider_calls": .number(Double(progress?.providerCalls ?? 0)), "state": .string(result.state?.rawValue ?? "none"),
        ]
        if let requests = bria?.requests {
            output["http_requests"] = ["submits": .number(Double(requests.submits)), "polls": .number(Double(requests.polls)), "downloads": .number(Double(requests.downloads))]
        }
        Print.console.out(JSONWriter.compact(.object(output)))
    }
}

struct BenchTUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Build an N-shot project and draw TUI frames off-screen while a mock render job runs; time the first frame, keystroke frames and review decisions with a filter active.")

    @Option(name: .long, help: "Number of shots.")
    var rows: Int = 100_000

    @Option(name: .long, help: "Keystrokes to time.")
    var keystrokes: Int = 2000

    @Option(name: .customLong("render-latency-ms"), help: "The mock's time per render behind the UI: 0 is CPU-bound (the hardest case for the UI: jobs are queued again as they end); 1 or more is paced like a remote provider.")
    var renderLatencyMS: Int = 0

    @Option(name: .customLong("huge-spec-lines"), help: "Instead: a 20-shot project whose second shot's spec has about this many lines; time keys on its JSON tab and table moves onto it (--keystrokes of them).")
    var hugeSpecLines: Int?

    /// `--database URL`: build the project in this EMPTY PostgreSQL database (the flag only; see
    /// `bench plan`).
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if rows < 1 || rows > 10_000_000 { throw ValidationError("--rows must be between 1 and 10000000.") }
        if let lines = hugeSpecLines, lines < 1 || lines > 1_000_000 { throw ValidationError("--huge-spec-lines must be between 1 and 1000000.") }
        if keystrokes < 1 || keystrokes > 1_000_000 { throw ValidationError("--keystrokes must be between 1 and 1000000.") }
        if renderLatencyMS < 0 || renderLatencyMS > 10_000 { throw ValidationError("--render-latency-ms must be between 0 and 10000.") }
    }

    func run() async throws {
        func ms(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        if let hugeSpecLines {
            let result = try await HugeSpecBenchmark.run(lines: hugeSpecLines, keystrokes: keystrokes)
            Print.console.out(JSONWriter.compact([
                "bench": "tui-huge-spec", "spec_lines": .number(Double(result.specLines)),
                "json_key_p50_ms": ms(result.keyP50MS), "json_key_p99_ms": ms(result.keyP99MS), "json_key_max_ms": ms(result.keyMaxMS),
                "keys": .number(Double(result.keys)),
                "move_onto_p50_ms": ms(result.moveP50MS), "move_onto_p99_ms": ms(result.moveP99MS), "moves": .number(Double(result.moves)),
            ]))
            return
        }
        // AUTODIRECTOR_IMAGES forces an image mode, as in the TUI.
        let imageMode = CommandContext.current.environment["AUTODIRECTOR_IMAGES"].flatMap { ImageMode(rawValue: $0.lowercased()) }
        let result = try await TUIBenchmark.run(
            rows: rows, keystrokes: keystrokes, renderLatency: .milliseconds(renderLatencyMS), imageMode: imageMode,
            database: try project.database.map(DatabaseURL.init))
        Print.console.out(JSONWriter.compact([
            "bench": "tui", "rows": .number(Double(result.rows)), "first_frame_ms": ms(result.firstFrameMS),
            "frame_p50_ms": ms(result.frameP50MS), "frame_p99_ms": ms(result.frameP99MS), "frames": .number(Double(result.frames)),
            "peak_rss_mb": .number(result.peakRSSMB.rounded()), "render_running": .bool(result.renderRunning),
            "review_ms_p50": ms(result.reviewP50MS), "review_ms_p99": ms(result.reviewP99MS), "decisions": .number(Double(result.decisions)),
            "render_running_through_reviews": .bool(result.renderRunningThroughReviews), "render_jobs": .number(Double(result.renderJobs)),
            "note_ms_p50": ms(result.noteP50MS), "note_ms_p99": ms(result.noteP99MS), "hold_ms_p50": ms(result.holdP50MS),
            "hold_ms_p99": ms(result.holdP99MS),
            "image_mode": .string(result.imageMode.rawValue), "graphics_bytes": .number(Double(result.graphicsBytes)),
        ]))
    }
}

struct BenchReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "The review vocabulary at scale on an N-shot project: hold and release half the shots in one action each, assign the filtered half to one reviewer, open that reviewer's queue; note and retake latency; combined filters and rows marked new.")

    @Option(name: .long, help: "Number of shots.")
    var rows: Int = 100_000

    @Option(name: .long, help: "Notes and retakes to time.")
    var samples: Int = 200

    /// `--database URL`: build the project in this EMPTY PostgreSQL database (the flag only).
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if rows < 2 || rows > 10_000_000 { throw ValidationError("--rows must be between 2 and 10000000.") }
        if samples < 1 || samples > 100_000 { throw ValidationError("--samples must be between 1 and 100000.") }
    }

    func run() async throws {
        func ms(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        func s(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        let result = try await ReviewBenchmark.run(rows: rows, samples: samples, database: try project.database.map(DatabaseURL.init))
        Print.console.out(JSONWriter.compact([
            "bench": "review", "rows": .number(Double(result.rows)), "hold_half_seconds": s(result.holdHalfSeconds),
            "release_half_seconds": s(result.releaseHalfSeconds), "assign_filtered_seconds": s(result.assignFilteredSeconds),
            "assigned": .number(Double(result.assigned)), "filter_seconds": s(result.filterSeconds), "my_queue_seconds": s(result.myQueueSeconds),
            "my_queue_total": .number(Double(result.myQueueTotal)), "note_p50_ms": ms(result.noteP50MS), "note_p99_ms": ms(result.noteP99MS),
            "retake_p50_ms": ms(result.retakeP50MS), "retake_p99_ms": ms(result.retakeP99MS), "samples": .number(Double(result.samples)),
            "filter_pages": .array(result.filterPages.map { ["terms": .string($0.terms), "seconds": s($0.seconds), "total": .number(Double($0.total))] }),
            "marked_page_seconds": s(result.markedPageSeconds),
        ]))
    }
}

struct BenchExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Plan and render (mock) an N-shot batch, then time export --zip; compare with `zip -q -r -X` of the same bundle when zip is installed.")

    @Option(name: .long, help: "Number of shots.")
    var rows: Int = 10_000

    @Option(name: .customLong("bria-image-size"), help: "Render through the in-process fake Bria server with noisy square images of this side (720: about 1.5 MB each) instead of the mock.")
    var briaImageSize: Int?

    func validate() throws {
        if rows < 1 || rows > 1_000_000 { throw ValidationError("--rows must be between 1 and 1000000.") }
        if let size = briaImageSize, size < 1 || size > 4096 { throw ValidationError("--bria-image-size must be between 1 and 4096.") }
    }

    func run() async throws {
        var bria: BenchBria?
        var renderer: any RenderProvider = MockProvider()
        if let size = briaImageSize {
            let fake = try await BenchBria.start(imageSize: size, noise: true, requestsPerMinute: 1_000_000, pollInterval: 0)
            bria = fake
            renderer = fake.provider
        }
        let outcome: Result<ExportBenchmark.Result, any Error>
        do { outcome = .success(try await ExportBenchmark.run(rows: rows, provider: renderer)) } catch { outcome = .failure(error) }
        await renderer.shutdown()
        await bria?.stopServer()
        let result = try outcome.get()
        defer { result.remove() }
        var object: JSONObject = [
            "bench": "export", "rows": .number(Double(result.rows)), "seconds": .number((result.seconds * 10_000).rounded() / 10_000),
            "per_second": .number(result.perSecond.rounded()), "bytes": .number(Double(result.bytes)),
            "zip_bytes": .number(Double(result.zipBytes)), "peak_rss_mb": .number(result.peakRSSMB.rounded()),
        ]
        if let seconds = try await ExportBenchmark.infoZipSeconds(of: result) {
            object["infozip_seconds"] = .number((seconds * 10_000).rounded() / 10_000)
            // The target: at most 1.5.
            object["ratio_to_infozip"] = .number((result.seconds / max(seconds, 0.0001) * 100).rounded() / 100)
        }
        Print.console.out(JSONWriter.compact(.object(object)))
    }
}

struct BenchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service in this process on loopback: N clients reading one shot, then 8 clients sending 120 reviews; requests per second and p50/p99 latency.")

    @Option(name: .long, help: "Clients reading at once.")
    var clients = 16

    @Option(name: .long, help: "Reads per client.")
    var requests = 200

    func validate() throws {
        if !(1...512).contains(clients) { throw ValidationError("--clients must be between 1 and 512.") }
        if !(1...100_000).contains(requests) { throw ValidationError("--requests must be between 1 and 100000.") }
    }

    func run() async throws {
        let result = try await ServeBenchmark.run(clients: clients, requestsPerClient: requests)
        func ms(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        Print.console.out(JSONWriter.compact([
            "bench": "serve", "clients": .number(Double(result.clients)), "reads": .number(Double(result.reads)),
            "reads_per_second": .number(result.readsPerSecond.rounded()), "read_p50_ms": ms(result.readP50MS), "read_p99_ms": ms(result.readP99MS),
            "reviews": .number(Double(result.reviews)), "reviews_succeeded": .number(Double(result.reviewsSucceeded)),
            "reviews_logged": .number(Double(result.reviewsLogged)), "review_p50_ms": ms(result.reviewP50MS), "review_p99_ms": ms(result.reviewP99MS),
        ]))
    }
}

struct BenchGraphicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graphics",
        abstract: "Time the preview's image encoders (kitty, iTerm2, sixel, 24-bit symbols) on a square test image for an 80×40-cell panel; with chafa installed, time it on the same image.")

    @Option(name: .long, help: "The test image's side in pixels.")
    var size: Int = 1024

    func validate() throws {
        if size < 16 || size > 8192 { throw ValidationError("--size must be between 16 and 8192.") }
    }

    func run() throws {
        let (pngBytes, results) = try GraphicsBenchmark.run(size: size)
        var object: JSONObject = ["bench": "graphics", "size": .number(Double(size)), "png_bytes": .number(Double(pngBytes))]
        for result in results {
            object[result.mode.rawValue] = ["median_ms": .number((result.medianMS * 1000).rounded() / 1000), "bytes": .number(Double(result.bytes))]
        }
        // chafa (the command, when installed) on the same image and panel: the library's own
        // work plus starting a process, measured the same way.
        if let medians = try GraphicsBenchmark.chafaMedians(size: size) {
            var chafa = JSONObject()
            for (format, median) in medians { chafa[format] = .number((median * 1000).rounded() / 1000) }
            object["chafa_command_median_ms"] = .object(chafa)
        }
        Print.console.out(JSONWriter.compact(.object(object)))
    }
}
