import ArgumentParser
import AutoDirectorCore
import Foundation

struct InspireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspire",
        abstract: "Start a shot from a picture, read by FIBO's prompt model: a new version of one, or a new shot of a batch.",
        discussion: """
            The picture (PNG, JPEG or WEBP, at most 20 MiB) and the note go to Bria's prompt model (offline, the mock's);
            its structured prompt is frozen in a spec that records the picture's SHA-256 and file name, and its render is queued.
            With --shot it becomes that shot's next version, its seed, output and generation parameters kept; with --batch a
            new shot of the batch (after the shots of its file), with the batch's defaults and preset, a derived seed, and
            the id --id (default INSPIRE- and the picture's digest).
              autodirector inspire moodboard.png --shot PROD-001 --note "the same light"
              autodirector inspire moodboard.png --batch products --id PROD-900 --note "a lamp in this light"
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var render: RenderOptions

    @Argument(help: "The picture.")
    var image: String

    @Option(name: .long, help: "The shot whose next version it becomes.")
    var shot: String?

    @Option(name: .long, help: "The batch it becomes a new shot of.")
    var batch: String?

    @Option(name: .long, help: "The new shot's id, with --batch (default: INSPIRE- and the picture's digest).")
    var id: String?

    @Option(name: .long, help: "Words to go with the picture.")
    var note: String?

    func validate() throws {
        guard (shot == nil) != (batch == nil) else { throw ValidationError("Give --shot ID (a new version) or --batch B (a new shot), one of them.") }
        if id != nil && batch == nil { throw ValidationError("--id names a new shot: it goes with --batch.") }
    }

    func run() async throws {
        let (project, shot, batch, id, note, path) = (project, shot, batch, id, note, image)
        let bytes = Array(try FileInput.read(URL(fileURLWithPath: path)))
        let engine = try await CommandContext.blocking { try project.engine() }
        let model = try render.makePromptModel()
        let result: Engine.RerenderResult
        do {
            if let shot {
                result = try await engine.inspire(shot, image: bytes, fileName: path, note: note, model: model)
            } else {
                result = try await engine.inspireShot(batchID: batch ?? "", id: id, image: bytes, fileName: path, note: note, model: model)
            }
        } catch {
            await render.shutdown(model)
            if let error = error as? PromptModelError { throw CommandFailure(message: error.message) }
            throw error
        }
        await render.shutdown(model)
        if output.json {
            var object = JSONRepresentation.version(result.version, includeSpec: true).objectValue ?? JSONObject()
            object["job_id"] = .number(Double(result.jobID))
            return Print.json(.object(object))
        }
        let version = result.version
        let what = shot == nil ? "the new shot \(TextSanitizer.visible(version.shotID)) of batch \(TextSanitizer.visible(batch ?? ""))" : TextSanitizer.visible(version.shotID)
        Print.line("Created \(what) v\(version.number) (hash \(version.shortHash), origin inspire, seed \(version.seed)) from \(TextSanitizer.quoted(path, limit: 200)).")
        if shot == nil { Print.line("Subject: \(TextSanitizer.quoted(version.spec["subject"]?.stringValue ?? "", limit: 120))") }
        Print.line("Render queued as job \(result.jobID).")
    }
}
