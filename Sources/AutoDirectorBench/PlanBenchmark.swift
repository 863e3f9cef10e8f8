import AutoDirectorCore
import Foundation

/// `bench plan --rows N`: a generated N-row CSV ingested and planned in a temporary project,
/// durably, through the same engine calls a user makes.
public enum PlanBenchmark {
    public struct Result: Sendable {
        public var rows: Int
        public var seconds: Double
        public var stages: [(name: String, seconds: Double)]
        public var created: Int
        public var perSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
    }

    /// `database`: an empty PostgreSQL database to plan into instead of the project's SQLite file.
    public static func run(rows: Int, preset: String? = "brand_neutral_cool", database: DatabaseURL? = nil, keepDirectory: URL? = nil) throws -> Result {
        let directory = keepDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("autodirector-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keepDirectory == nil { try? FileManager.default.removeItem(at: directory) } }

        let csv = directory.appendingPathComponent("bench.csv")
        try writeCSV(rows: rows, to: csv)
        let engine = try Engine(projectDirectory: directory.appendingPathComponent("project"), database: database, mode: .create)
        let timer = StageTimer()
        let ingest = try engine.ingest(csv, timer: timer)
        let summary = try engine.plan(batchID: ingest.batchID, preset: preset, timer: timer)
        return Result(rows: rows, seconds: timer.total, stages: timer.recorded, created: summary.created)
    }

    /// A deterministic catalogue that exercises every default rule.
    public static func writeCSV(rows: Int, to url: URL) throws {
        let categories = ["electronics", "photography", "homeware", "macro", "apparel"]
        let materials = ["plastic", "glass", "ceramic", "metal", "cotton", "leather"]
        let finishes = ["glossy", "matte", "satin"]
        var text = "sku,product_name,category,material,finish\n"
        text.reserveCapacity(rows * 72)
        for index in 0..<rows {
            let number = String(index + 1)
            let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
            text += "SKU-\(padded),Product \(padded),\(categories[index % 5]),\(materials[index % 6]),\(finishes[index % 3])\n"
        }
        try Data(text.utf8).write(to: url)
    }
}
