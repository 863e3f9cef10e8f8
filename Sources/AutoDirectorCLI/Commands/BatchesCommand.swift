import ArgumentParser
import AutoDirectorCore

struct BatchesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batches", abstract: "List the batches of the project.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let batches = try project.engine().batches()
        if output.json {
            Print.json(.array(batches.map(JSONRepresentation.batch)))
            return
        }
        Print.table(
            ["BATCH", "SOURCE", "FORMAT", "ROWS", "PRESET", "INGESTED"],
            batches.map { [$0.id, $0.sourceName, $0.format.rawValue, String($0.rowCount), $0.preset ?? "-", $0.createdAt.iso8601] })
    }
}
