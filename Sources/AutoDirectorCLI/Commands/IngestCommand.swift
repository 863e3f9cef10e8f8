import ArgumentParser
import AutoDirectorCore
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read a CSV, JSON array or JSON Lines file into a new batch (all or nothing); prints the batch id.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The input file (.csv, .json, .jsonl).")
    var file: String

    @Option(name: .long, help: "Column mapping FIELD=COLUMN for shot_id or subject (default shot_id=sku, subject=product_name); repeatable.")
    var map: [String] = []

    func run() throws {
        let mapping = try ColumnMapping(assignments: map)
        let engine = try project.engine(create: true)
        let result = try engine.ingest(URL(fileURLWithPath: file), mapping: mapping)
        if output.json {
            Print.json(["batch_id": .string(result.batchID), "rows": .number(Double(result.rows)), "new": .bool(result.isNew)])
        } else {
            Print.line(result.batchID)
            if !result.isNew {
                Print.console.error("This file was already ingested as batch \(result.batchID); nothing changed.")
            }
        }
    }
}
