import AutoDirectorCore
import Foundation

/// A throwaway project for the render and TUI benchmarks: a generated N-row batch, ingested,
/// planned with the reference preset and queued for rendering. `remove()` deletes it.
public struct BenchProject: Sendable {
    public let directory: URL
    public let engine: Engine
    public let batchID: String
    /// The shared database it lives in, or nil for the project directory's SQLite file.
    public let database: DatabaseURL?

    /// `enqueue: false` leaves the planned batch unqueued.
    public static func planned(rows: Int, name: String, database: DatabaseURL? = nil, enqueue: Bool = true) throws -> BenchProject {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("autodirector-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let csv = directory.appendingPathComponent("bench.csv")
            try PlanBenchmark.writeCSV(rows: rows, to: csv)
            let engine = try Engine(projectDirectory: directory.appendingPathComponent("project"), database: database, mode: .create)
            let batchID = try engine.ingest(csv).batchID
            _ = try engine.plan(batchID: batchID, preset: "brand_neutral_cool")
            if enqueue { _ = try engine.enqueueRender(batchID: batchID) }
            return BenchProject(directory: directory, engine: engine, batchID: batchID, database: database)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
