import AutoDirectorCore
import Foundation

/// `bench export --rows N`: a generated N-row batch planned and rendered (the mock, or the fake
/// Bria server's large images) in a temporary project, then one `export --zip` of it timed, with the peak memory of the export
/// alone (the setup's is not the export's).
public enum ExportBenchmark {
    public struct Result: Sendable {
        public var rows: Int
        public var seconds: Double
        public var bytes: Int
        public var zipBytes: Int
        public var peakRSSMB: Double
        /// Where the bundle was written, kept until `remove()` so it can be compared (e.g. with zip).
        public var bundle: URL
        public var perSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
        let project: BenchProject

        public func remove() { project.remove() }
    }

    /// `provider` renders the batch first (the mock, or Bria's fake server with large images).
    public static func run(rows: Int, provider: any RenderProvider = MockProvider()) async throws -> Result {
        let project = try await Blocking.run { try BenchProject.planned(rows: rows, name: "bench-export") }
        do {
            _ = try await project.engine.runPendingJobs(provider: provider, settings: RenderSettings(concurrency: 8))
            let out = project.directory.appendingPathComponent("exports")
            PeakMemory.startPhase()
            let start = ContinuousClock.now
            let result = try await Blocking.run { try project.engine.export(batchID: project.batchID, options: ExportOptions(directory: out, zip: true)) }
            let seconds = (ContinuousClock.now - start).seconds
            let zipBytes = (try? FileManager.default.attributesOfItem(atPath: result.zip?.path ?? "")[.size] as? Int) ?? 0
            return Result(
                rows: rows, seconds: seconds, bytes: result.bytes, zipBytes: zipBytes, peakRSSMB: PeakMemory.peakMB(),
                bundle: result.directory, project: project)
        } catch {
            project.remove()
            throw error
        }
    }

    /// Info-ZIP (`zip -q -r -X`) on the bundle `result` wrote, in seconds, or nil when zip is
    /// not installed: the yardstick of the export's speed, measured in the same run.
    public static func infoZipSeconds(of result: Result) async throws -> Double? {
        guard let zip = ["/usr/bin/zip", "/usr/local/bin/zip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let bundle = result.bundle
        return try await Blocking.run { () throws -> Double in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: zip)
            process.currentDirectoryURL = bundle.deletingLastPathComponent()
            process.arguments = ["-q", "-r", "-X", "infozip.zip", bundle.lastPathComponent]
            let start = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            return (ContinuousClock.now - start).seconds
        }
    }
}
