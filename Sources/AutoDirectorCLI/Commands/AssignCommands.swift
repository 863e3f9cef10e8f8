import ArgumentParser
import AutoDirectorCore

/// The shots an assignment applies to: named, or read from a file, as the review commands take them.
struct AssignTargets: ParsableArguments {
    @Argument(help: "One or more shot ids (several: one bulk action, all or nothing).")
    var shots: [String] = []

    @Option(
        name: .customLong("ids-from"),
        help: ArgumentHelp("Also read shot ids from FILE, one per line (- for standard input).", valueName: "FILE"))
    var idsFrom: String?

    @Option(name: .long, help: "Who makes the change (default: $USER).")
    var reviewer: String?

    func validate() throws {
        if shots.isEmpty && idsFrom == nil { throw ValidationError("Name at least one shot (or --ids-from FILE).") }
    }

    func allShots() throws -> [String] {
        try ReviewTargets(shots: shots, idsFrom: idsFrom).allShots()
    }
}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Assign shots to a reviewer (several shots: one bulk action); `shots --assignee NAME` lists them.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: AssignTargets

    @Option(name: .long, help: "The reviewer the shots wait for.")
    var to: String

    func run() throws {
        let shots = try targets.allShots()
        let outcome = try project.engine().assign(shots, to: to, reviewer: Reviewer.resolve(targets.reviewer))
        AssignmentReport.print(outcome, verb: "Assigned to \(TextSanitizer.visible(to)):", json: output.json)
    }
}

struct UnassignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unassign", abstract: "Take shots off whoever they were assigned to.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var targets: AssignTargets

    func run() throws {
        let shots = try targets.allShots()
        let outcome = try project.engine().unassign(shots, reviewer: Reviewer.resolve(targets.reviewer))
        AssignmentReport.print(outcome, verb: "Unassigned", json: output.json)
    }
}

enum AssignmentReport {
    static func print(_ outcome: AssignmentOutcome, verb: String, json: Bool) {
        if json {
            return Print.json(["changed": .array(outcome.changed.map(JSONValue.string)), "unchanged": .array(outcome.unchanged.map(JSONValue.string))])
        }
        // Thousands of shots: a count, not a line each.
        if outcome.changed.count > 20 {
            Print.line("\(verb) \(outcome.changed.count) shots (\(outcome.unchanged.count) already so).")
            return
        }
        for id in outcome.changed { Print.line("\(verb) \(TextSanitizer.visible(id))") }
        if !outcome.unchanged.isEmpty { Print.line("\(outcome.unchanged.count) shot\(outcome.unchanged.count == 1 ? " was" : "s were") already so; nothing logged for \(outcome.unchanged.count == 1 ? "it" : "them").") }
    }
}
