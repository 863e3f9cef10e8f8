import ArgumentParser
import AutoDirectorCore
import Foundation

struct InspireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspire",
        abstract: "Start a shot's next version from a picture, read by FIBO's prompt model.",
        discussion: """
            The picture (PNG, JPEG or WEBP, at most 20 MiB) and the note go to Bria's prompt model (offline, the mock's);
            its structured prompt becomes the shot's next version: a spec that freezes it and records the picture's SHA-256
            and file name, with the shot's seed, output and generation parameters kept. Its render is queued.
              autodirector inspire moodboard.png --shot PROD-001 --note "the same light"
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var render: RenderOptions

    @Argument(help: "The picture.")
    var image: String

    @Option(name: .long, help: "The shot whose next version it becomes.")
    var shot: String

    @Option(name: .long, help: "Words to go with the picture.")
    var note: String?

    func run() async throws {
        let (project, shot, note, path) = (project, shot, note, image)
        let bytes = Array(try FileInput.read(URL(fileURLWithPath: path)))
        let engine = try await CommandContext.blocking { try project.engine() }
        let model = try render.makePromptModel()
        let result: Engine.RerenderResult
        do {
            result = try await engine.inspire(shot, image: bytes, fileName: path, note: note, model: model)
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
        Print.line("Created \(TextSanitizer.visible(shot)) v\(version.number) (hash \(version.shortHash), origin inspire, seed \(version.seed)) from \(TextSanitizer.quoted(path, limit: 200)).")
        Print.line("Render queued as job \(result.jobID).")
    }
}
