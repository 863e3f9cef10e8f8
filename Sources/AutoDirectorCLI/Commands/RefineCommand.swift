import ArgumentParser
import AutoDirectorCore
import Foundation

struct RefineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refine",
        abstract: "Rewrite a shot's structured prompt from a note with FIBO's prompt model, and store it as the next version.",
        discussion: """
            The version's structured prompt and the note go to Bria's prompt model (POST /structured_prompt/generate;
            offline, the mock's). The fields it changes are shown; confirmed (or with --yes), the answer becomes the next
            version: its spec freezes that structured prompt (rendering sends it as it is) and keeps the parent's seed,
            and its render is queued. Without a terminal to ask on and without --yes, nothing is stored.
              autodirector refine PROD-001 "warmer, 85 mm, backlit"
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var render: RenderOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Argument(help: "What to change, in words (\"warmer, 85 mm, backlit\").")
    var note: String

    @Option(name: .long, help: "Refine this version instead of the latest.")
    var version: Int?

    @Flag(name: .long, help: "Store the refinement without asking.")
    var yes = false

    func run() async throws {
        let project = project
        let engine = try await CommandContext.blocking { try project.engine() }
        let model = try render.makePromptModel()
        let refinement: Refinement
        do {
            refinement = try await engine.proposeRefinement(shot, note: note, version: version, model: model)
        } catch {
            // Bria's client must be shut down whatever ended the request.
            await render.shutdown(model)
            if let error = error as? PromptModelError { throw CommandFailure(message: error.message) }
            throw error
        }
        await render.shutdown(model)
        if !output.json {
            Print.line("\(TextSanitizer.visible(shot)) v\(refinement.base.number) refined with \(TextSanitizer.quoted(refinement.note, limit: 200)):")
            for line in FieldDiff.lines(refinement.changes) { Print.line("  " + line) }
        }
        var store = yes
        if !store, !output.json, CommandContext.current.console.isTerminal, isatty(STDIN_FILENO) == 1 {
            Print.console.raw("Store it as the next version and queue its render? [y/N] ")
            store = ["y", "yes"].contains(readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? "")
        }
        guard store else {
            if output.json {
                Print.json(["stored": false, "changes": .array(refinement.changes.map(JSONRepresentation.change))])
            } else {
                Print.line("Not stored: run again with --yes (or answer y on a terminal) to store it.")
            }
            return
        }
        let result = try await CommandContext.blocking { try engine.acceptRefinement(refinement) }
        if output.json {
            var object = JSONRepresentation.version(result.version, includeSpec: true).objectValue ?? JSONObject()
            object["stored"] = true
            object["changes"] = .array(refinement.changes.map(JSONRepresentation.change))
            object["job_id"] = .number(Double(result.jobID))
            Print.json(.object(object))
            return
        }
        let version = result.version
        Print.line("Created \(TextSanitizer.visible(version.shotID)) v\(version.number) (hash \(version.shortHash), origin refine, seed \(version.seed) kept from v\(refinement.base.number)).")
        Print.line("Render queued as job \(result.jobID).")
    }
}

/// FIBO's fields that change, one per line: `lighting.direction  from the front → from behind`.
enum FieldDiff {
    static func lines(_ changes: [JSONChange]) -> [String] {
        let width = min(40, changes.map { TextSanitizer.visible($0.dottedPath).count }.max() ?? 0)
        return changes.map { change in
            let path = TextSanitizer.visible(change.dottedPath)
            let padded = path.count < width ? path + String(repeating: " ", count: width - path.count) : path
            switch change.kind {
            case .changed: return "\(padded)  \(Patcher.show(change.oldValue)) → \(Patcher.show(change.newValue))"
            case .added: return "\(padded)  + \(Patcher.show(change.newValue))"
            case .removed: return "\(padded)  − \(Patcher.show(change.oldValue))"
            }
        }
    }
}
