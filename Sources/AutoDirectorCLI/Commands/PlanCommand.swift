import ArgumentParser
import AutoDirectorCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan a batch into shot specs with the rules and an optional preset; unchanged shots get no new version.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The batch id printed by ingest.")
    var batch: String

    @Option(name: .long, help: "A preset id (assets/presets/ID.json or PROJECT/presets/ID.json).")
    var preset: String?

    func run() throws {
        let summary = try project.engine().plan(batchID: batch, preset: preset)
        if output.json {
            Print.json([
                "batch_id": .string(summary.batchID), "shots": .number(Double(summary.shots)),
                "created": .number(Double(summary.created)), "updated": .number(Double(summary.updated)),
                "unchanged": .number(Double(summary.unchanged)),
            ])
        } else {
            Print.line("Planned \(summary.shots) shots in \(summary.batchID): \(summary.created) new, \(summary.updated) new versions, \(summary.unchanged) unchanged.")
        }
    }
}
