import ArgumentParser
import AutoDirectorCore

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a shot version: its spec, hash, seed, status and reasons.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Option(name: .long, help: "The version number (default: the latest).")
    var version: Int?

    func run() throws {
        let engine = try project.engine()
        let found = try engine.version(of: shot, number: version)
        let retakes = try engine.retakeCount(of: shot)
        let assignee = try engine.assignee(of: shot)
        let stages = try engine.approvalStages()
        if output.json {
            var object = JSONRepresentation.version(found, includeSpec: true).objectValue ?? JSONObject()
            object["retakes"] = .number(Double(retakes))
            object["assignee"] = assignee.map(JSONValue.string) ?? .null
            Print.json(.object(object))
            return
        }
        var lines = [
            "\(found.shotID) v\(found.number)",
            "hash:         \(found.hash)",
            "parent_hash:  \(found.parentHash ?? "-")",
            "seed:         \(found.seed)",
            "origin:       \(found.origin.rawValue)",
            "created_at:   \(found.createdAt.iso8601)",
            "render:       \(found.renderStatus.rawValue)",
            "review:       \(found.review.label)\(found.reviewer.map { " by \($0)" } ?? "")\(found.reviewNote.map { " — \($0)" } ?? "")",
            "retakes:      \(retakes) (of the shot, every version)",
            "assignee:     \(assignee ?? "-")",
        ]
        if stages.isStaged { lines.append("stages:       \(stages.progress(approved: found.approvedStages, status: found.review))") }
        lines += [
            "rules_applied:",
        ]
        lines += found.rulesApplied.map { "  - \($0.reason)" }
        lines.append("spec:")
        lines += JSONWriter.pretty(.object(found.spec)).split(separator: "\n").map(String.init)
        Print.line(lines.map { TextSanitizer.visible($0) }.joined(separator: "\n"))
    }
}
