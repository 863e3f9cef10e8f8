import ArgumentParser
import AutoDirectorCore

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a shot: source row, rules and presets, patches, differences from defaults, prompt, reproducibility.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Option(name: .long, help: "The version (default: the latest).")
    var version: Int?

    func run() throws {
        let explanation = try project.engine().explain(shot, version: version)
        if output.json {
            Print.json(json(explanation))
            return
        }
        let v = explanation.version
        var lines = ["\(v.shotID) v\(v.number) — hash \(v.hash), seed \(v.seed), provider \(explanation.provider)", ""]
        if let source = explanation.source {
            lines.append("Source: batch \(source.batchID), \(source.file) line \(source.line)")
            if let fields = source.fields.objectValue {
                lines += fields.map { "  \($0.key): \($0.value.stringValue ?? JSONWriter.compact($0.value))" }
            } else {
                lines.append("  \(JSONWriter.compact(source.fields))")
            }
        }
        lines.append("")
        lines.append("How it was made:")
        for step in explanation.lineage {
            lines.append("  v\(step.version) (\(step.origin.rawValue), \(String(step.hash.prefix(12))))")
            lines += step.reasons.map { "    - \($0.reason)" }
        }
        lines.append("")
        lines.append("Differs from the defaults:")
        if explanation.differencesFromDefaults.isEmpty { lines.append("  nothing") }
        lines += explanation.differencesFromDefaults.map { "  \(Patcher.describe($0))" }
        lines.append("")
        lines.append("Why it is reproducible:")
        lines += explanation.reproducibility.map { "  \($0)" }
        lines.append("")
        lines.append("Compiled structured prompt:")
        lines += JSONWriter.pretty(.object(explanation.compiledPrompt)).split(separator: "\n").map(String.init)
        Print.line(lines.map { TextSanitizer.visible($0) }.joined(separator: "\n"))
    }

    private func json(_ e: Explanation) -> JSONValue {
        var object: JSONObject = [
            "shot_id": .string(e.version.shotID), "version": .number(Double(e.version.number)), "hash": .string(e.version.hash),
            "seed": .number(Double(e.version.seed)), "provider": .string(e.provider),
        ]
        if let source = e.source {
            object["source"] = ["batch": .string(source.batchID), "file": .string(source.file), "line": .number(Double(source.line)), "fields": source.fields]
        }
        object["lineage"] = .array(e.lineage.map { step in
            [
                "version": .number(Double(step.version)), "origin": .string(step.origin.rawValue), "hash": .string(step.hash),
                "reasons": .array(step.reasons.map(\.json)),
            ]
        })
        object["rules_applied"] = .array(e.version.rulesApplied.map(\.json))
        object["differences_from_defaults"] = .array(e.differencesFromDefaults.map(JSONRepresentation.change))
        object["structured_prompt"] = .object(e.compiledPrompt)
        object["reproducibility"] = .array(e.reproducibility.map(JSONValue.string))
        return .object(object)
    }
}
