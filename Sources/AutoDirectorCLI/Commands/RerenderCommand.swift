import ArgumentParser
import AutoDirectorCore
import Foundation

struct RerenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerender",
        abstract: "Patch a shot into a new version and queue its render.",
        discussion: """
            Each PATCH is recognised by its form: starts with { → RFC 7386 merge patch; starts with [ → RFC 6902 JSON Patch;
            path=value → dotted assignment (value read as JSON, else as text). Examples:
              autodirector rerender PROD-001 camera.fov=60 lighting.key_light.intensity=0.6
              autodirector rerender PROD-001 '{"camera":{"fov":60}}'
              autodirector rerender PROD-001 '[{"op":"replace","path":"/camera/fov","value":60}]'
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Argument(help: "Patches, applied in order.")
    var patches: [String] = []

    @Option(name: .long, help: "Read a patch from a file (merge patch, JSON Patch, or one assignment per line).")
    var file: String?

    @Option(name: .long, help: "Patch this version instead of the latest.")
    var version: Int?

    func validate() throws {
        if patches.isEmpty && file == nil {
            throw ValidationError("Give at least one patch: {…} merge patch, […] JSON Patch, path=value, or --file F.")
        }
    }

    func run() throws {
        var parsed = try ShotPatch.parse(arguments: patches)
        if let file {
            let data = try FileInput.read(URL(fileURLWithPath: file))
            guard let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure(message: "The patch file \(TextSanitizer.quoted(file, limit: 200)) is not valid UTF-8. Nothing was stored.")
            }
            parsed += try ShotPatch.parse(fileText: text, name: file)
        }
        let result: Engine.RerenderResult
        do {
            result = try project.engine().rerender(shot, patches: parsed, from: version)
        } catch let error where error is InvalidSpecError || error is JSONPatchError || error is DottedPath.SetError {
            // Refused while patching, before the version's transaction began: nothing was written.
            let text = String(describing: error)
            let separator = text.contains("\n") ? "\n" : text.hasSuffix(".") ? " " : ". "
            throw CommandFailure(message: text + separator + "Nothing was stored.")
        }
        if output.json {
            var object = JSONRepresentation.version(result.version, includeSpec: true).objectValue ?? JSONObject()
            object["changes"] = .array(result.changes.map(JSONRepresentation.change))
            object["job_id"] = .number(Double(result.jobID))
            Print.json(.object(object))
            return
        }
        let version = result.version
        Print.line("Created \(TextSanitizer.visible(version.shotID)) v\(version.number) (hash \(version.shortHash), parent \(version.parentHash.map { String($0.prefix(12)) } ?? "-"), seed \(version.seed))")
        for change in result.changes { Print.line("  \(Patcher.describe(change))") }
        Print.line("Render queued as job \(result.jobID).")
    }
}
