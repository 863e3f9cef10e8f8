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
                "unchanged": .number(Double(summary.unchanged)), "replaced_patches": .number(Double(summary.replacedPatches)),
            ])
        } else {
            let shots = summary.shots == 1 ? "1 shot" : "\(summary.shots) shots"
            let versions = summary.updated == 1 ? "1 new version" : "\(summary.updated) new versions"
            Print.line("Planned \(shots) in \(summary.batchID): \(summary.created) new, \(versions), \(summary.unchanged) unchanged.")
            if summary.replacedPatches > 0 {
                Print.console.error(
                    "Note: \(summary.replacedPatches) of the re-planned shots had patches since their last plan; their new version starts "
                        + "from the plan, not from the patches (see autodirector compare SHOT A B).")
            }
        }
    }
}
