import ArgumentParser
import AutoDirectorBench
import AutoDirectorCore

struct BenchMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Build an N-shot project (planned, rendered by the mock, approved) and time its migration into an empty PostgreSQL database.")

    @Option(name: .long, help: "Number of shots.")
    var rows: Int = 100_000

    @Option(name: .long, help: ArgumentHelp("The empty PostgreSQL database to migrate into (postgres://…).", valueName: "url"))
    var to: String

    func validate() throws {
        if rows < 1 || rows > 10_000_000 { throw ValidationError("--rows must be between 1 and 10000000.") }
        do { _ = try DatabaseURL(to) } catch let error as DatabaseURLError { throw ValidationError("--to: \(error.description)") }
    }

    func run() async throws {
        let result = try await MigrateBenchmark.run(rows: rows, target: try DatabaseURL(to))
        var tables = JSONObject()
        for table in result.report.tables { tables[table.name] = .number(Double(table.rows)) }
        Print.console.out(JSONWriter.compact([
            "bench": "migrate", "rows": .number(Double(result.rows)),
            "seconds": .number((result.report.seconds * 10_000).rounded() / 10_000), "per_second": .number(result.perSecond.rounded()),
            "version_hashes": .number(Double(result.report.versionHashes)), "tables": .object(tables),
        ]))
    }
}
